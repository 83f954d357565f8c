"""Score the NLU development sets for plans and measures (tests/data/nlu_eval_projects*.yml).

Each set is scored on its own (dev1 has been tuned on; dev2 was written later, before the next
round of tuning). A set is written as `{intent, text}` pairs with inline entity annotations; this script turns it
into Rasa NLU data in a temporary folder, runs `rasa test nlu` on it with the trained model and
prints per-intent and per-entity F1 and every miss (text, expected, predicted). The dev set is
what we look at while tuning; the held-out set (nlu/test, `make bench-nlu`) is reported only.

    .venv/bin/python scripts/bench_nlu_dev.py [--model models/methodewijzer.tar.gz] [--out DIR]
        [--sets dev1,dev2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "data" / "nlu_eval_projects.yml"
DEV_SETS = {"dev1": DEV_SET, "dev2": ROOT / "tests" / "data" / "nlu_eval_projects_2.yml"}
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def rasa_nlu_data(path: Path = DEV_SET) -> str:
    """The dev set as Rasa NLU YAML (one block per intent, annotations kept)."""
    examples = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example["intent"], []).append(example["text"])
    blocks = [
        {"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
        for intent, texts in by_intent.items()
    ]
    return yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False)


def run_rasa(model: Path, out: Path, dev_set: Path = DEV_SET) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "nlu_dev.yml"
        data.write_text(rasa_nlu_data(dev_set), encoding="utf-8")
        env = os.environ | {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
        cmd = [str(RASA), "test", "nlu", "--model", str(model), "--nlu", str(data)]
        subprocess.run([*cmd, "--out", str(out)], cwd=ROOT, env=env, check=True)


def rows(report: dict) -> dict[str, dict]:
    return {k: v for k, v in report.items() if isinstance(v, dict) and "f1-score" in v}


def report_lines(out: Path) -> list[str]:
    lines = []
    intents = json.loads((out / "intent_report.json").read_text(encoding="utf-8"))
    for name, row in sorted(rows(intents).items()):
        lines.append(f"intent {name:22s} F1 {row['f1-score']:.2f}  (n={int(row['support'])})")
    for path in sorted(out.glob("*Extractor*_report.json")) + sorted(out.glob("DIET*_report.json")):
        extractor = path.stem.removesuffix("_report")
        for name, row in sorted(rows(json.loads(path.read_text(encoding="utf-8"))).items()):
            f1, n = row["f1-score"], int(row["support"])
            lines.append(f"entity {extractor}/{name:16s} F1 {f1:.2f}  (n={n})")
    errors = out / "intent_errors.json"
    for miss in json.loads(errors.read_text(encoding="utf-8")) if errors.exists() else []:
        predicted = miss["intent_prediction"]
        lines.append(
            f"MISS {miss['intent']} -> {predicted['name']} ({predicted['confidence']:.2f}): "
            f"{miss['text']}"
        )
    for path in sorted(out.glob("*_errors.json")):
        if path.name == "intent_errors.json":
            continue
        for miss in json.loads(path.read_text(encoding="utf-8")):
            gold = [(e["entity"], e["value"]) for e in miss.get("entities", [])]
            got = [(e["entity"], e["value"]) for e in miss.get("predicted_entities", [])]
            lines.append(f"ENTITY MISS {path.stem}: {miss['text']}: {gold} -> {got}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "methodewijzer.tar.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "test-results" / "nlu-dev-projects")
    parser.add_argument("--sets", default="dev1,dev2", help="comma list of " + ",".join(DEV_SETS))
    parser.add_argument("--report-only", action="store_true", help="read an earlier --out")
    args = parser.parse_args()
    for name in args.sets.split(","):
        out = args.out / name
        if not args.report_only:
            run_rasa(args.model, out, DEV_SETS[name])
        print(f"=== {name}: {DEV_SETS[name].relative_to(ROOT)}")
        print("\n".join(report_lines(out)))


if __name__ == "__main__":
    main()
