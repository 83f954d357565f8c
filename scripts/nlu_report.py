"""Print intent macro-F1 and entity F1 from a `rasa test nlu` results folder (make bench-nlu)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(folder: str) -> None:
    out = Path(folder)
    intents = json.loads((out / "intent_report.json").read_text())
    print(
        f"intent macro-F1: {intents['macro avg']['f1-score']:.3f}  "
        f"(accuracy {intents['accuracy']:.3f}, {int(intents['macro avg']['support'])} voorbeelden)"
    )
    for path in sorted(out.glob("*Extractor_report.json")) + sorted(
        out.glob("DIETClassifier_report.json")
    ):
        report = json.loads(path.read_text())
        micro = report.get("micro avg") or report.get("weighted avg")
        macro = report.get("macro avg", {})
        print(
            f"entiteiten ({path.stem.replace('_report', '')}): micro-F1 {micro['f1-score']:.3f}, "
            f"macro-F1 {macro.get('f1-score', float('nan')):.3f}"
        )
    worst = sorted(
        (
            (k, v["f1-score"])
            for k, v in intents.items()
            if isinstance(v, dict)
            and "support" in v
            and k not in ("macro avg", "weighted avg", "micro avg")
        ),
        key=lambda kv: kv[1],
    )[:5]
    print("zwakste intents: " + ", ".join(f"{k} {f:.2f}" for k, f in worst))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "test-results/rasa-nlu")
