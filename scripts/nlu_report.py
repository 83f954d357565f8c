"""Print intent and entity F1 from a `rasa test nlu` results folder (make bench-nlu).

Every figure is printed under the name of what it is: sklearn's report has a "micro avg" only in
some cases and "accuracy" in others (Rasa adds the missing one), so a missing one is left out,
never replaced by another; the support is the sum over the labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Rasa computes an entity report's accuracy over all tokens, those without an entity included.
ENTITY_ACCURACY = "token-accuracy (ook tokens zonder entiteit)"
ENTITY_UNIT = "tokens met een entiteit"
AVERAGES = (("micro avg", "micro-F1"), ("macro avg", "macro-F1"), ("weighted avg", "gewogen F1"))


def labels(report: dict) -> dict[str, dict]:
    """Per-label rows of a classification report (no averages, no accuracy)."""
    return {
        k: v
        for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in dict(AVERAGES)
    }


def support(report: dict) -> int:
    return int(sum(row.get("support", 0) for row in labels(report).values()))


def summary(report: dict, accuracy_label: str = "accuracy", unit: str = "voorbeelden") -> str:
    """'macro-F1 0.912, gewogen F1 0.934, accuracy 0.936 (252 voorbeelden)' from what is there."""
    parts = [
        f"{name} {report[key]['f1-score']:.3f}"
        for key, name in AVERAGES
        if isinstance(report.get(key), dict) and "f1-score" in report[key]
    ]
    if isinstance(report.get("accuracy"), int | float):
        parts.append(f"{accuracy_label} {report['accuracy']:.3f}")
    if not parts:
        parts.append("geen gemiddelden in het rapport")
    return f"{', '.join(parts)} ({support(report)} {unit})"


def weakest(report: dict, n: int = 5) -> str:
    rows = sorted(labels(report).items(), key=lambda kv: kv[1]["f1-score"])[:n]
    return ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in rows)


def lines(folder: Path) -> list[str]:
    intent_file = folder / "intent_report.json"
    if not intent_file.exists():
        return [f"geen intent_report.json in {folder}: draai eerst `rasa test nlu`"]
    intents = json.loads(intent_file.read_text(encoding="utf-8"))
    out = [f"intents: {summary(intents)}"]
    for path in sorted(folder.glob("*_report.json")):
        if path.name == "intent_report.json" or "response" in path.name:
            continue
        name = path.stem.removesuffix("_report")
        report = json.loads(path.read_text(encoding="utf-8"))
        out.append(f"entiteiten ({name}): {summary(report, ENTITY_ACCURACY, ENTITY_UNIT)}")
    out.append(f"zwakste intents: {weakest(intents)}")
    return out


def main(folder: str) -> None:
    print("\n".join(lines(Path(folder))))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "test-results/rasa-nlu")
