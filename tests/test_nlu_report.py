"""scripts/nlu_report.py names every figure for what it is and survives missing keys."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("nlu_report", ROOT / "scripts" / "nlu_report.py")
nlu_report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nlu_report)


def row(f1: float, support: int = 0) -> dict:
    return {"precision": f1, "recall": f1, "f1-score": f1, "support": support}


INTENTS = {
    "greet": row(1.0, 10),
    "goodbye": row(0.5, 30),
    "accuracy": 0.7,
    "macro avg": row(0.75, 40),
    "weighted avg": row(0.625, 40),
}
# sklearn gives "micro avg" and no "accuracy" when only some labels are scored (entities).
ENTITIES = {
    "problem": row(0.9, 20),
    "method": row(0.6, 5),
    "micro avg": row(0.84, 25),
    "macro avg": row(0.75, 25),
    "weighted avg": row(0.83, 25),
}


def test_intent_summary_labels_each_average_as_computed():
    text = nlu_report.summary(INTENTS)
    assert text == "macro-F1 0.750, gewogen F1 0.625, accuracy 0.700 (40 voorbeelden)"
    assert "micro" not in text  # no micro avg in the report: none is printed


def test_entity_summary_prints_micro_when_there_is_one():
    assert nlu_report.summary(ENTITIES) == (
        "micro-F1 0.840, macro-F1 0.750, gewogen F1 0.830 (25 voorbeelden)"
    )


def test_entity_accuracy_is_named_token_accuracy():
    text = nlu_report.summary({**ENTITIES, "accuracy": 0.99}, nlu_report.ENTITY_ACCURACY)
    assert text.endswith("token-accuracy (ook tokens zonder entiteit) 0.990 (25 voorbeelden)")


def test_weighted_average_is_never_called_micro():
    report = {k: v for k, v in ENTITIES.items() if k != "micro avg"}
    text = nlu_report.summary(report)
    assert "micro" not in text and "gewogen F1 0.830" in text


def test_missing_accuracy_and_averages_do_not_crash():
    assert (
        nlu_report.summary({"greet": row(1.0, 3)})
        == "geen gemiddelden in het rapport (3 voorbeelden)"
    )
    assert nlu_report.weakest({"a": row(0.2), "b": row(0.9), "accuracy": 0.5}, n=1) == "a 0.20"


def test_folder_report(tmp_path):
    (tmp_path / "intent_report.json").write_text(json.dumps(INTENTS))
    (tmp_path / "DIETClassifier_report.json").write_text(json.dumps(ENTITIES))
    (tmp_path / "DIETClassifier_errors.json").write_text("[]")
    out = nlu_report.lines(tmp_path)
    assert out[0].startswith("intents: macro-F1 0.750")
    assert out[1].startswith("entiteiten (DIETClassifier): micro-F1 0.840")
    assert "accuracy" not in out[1]  # none in this report
    assert out[2] == "zwakste intents: goodbye 0.50, greet 1.00"
    assert "geen intent_report.json" in nlu_report.lines(tmp_path / "leeg")[0]
