"""rasa_ext's NLU component, run in the Rasa environment (Python 3.10) as `rasa train` loads it."""

from __future__ import annotations

import json
from pathlib import Path

from rasa_probe import rasa_probe

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
from rasa_ext.intent_signals import IntentSignals
component = IntentSignals()
cases = json.load(sys.stdin)
print(json.dumps({
    "intent_for": [component.intent_for(t) for t in cases["intent_for"]],
    "has_signal": [component.has_signal(i, t, e) for i, t, e in cases["has_signal"]],
}))
"""
INTENT_FOR = {
    "ik wil meedoen met plan K7QM-4MXZ": "join_plan",
    "hnbt93br": "join_plan",
    "de gemeente gaf me code x2b9 mkt4": "join_plan",
    "aansluiten bij ZA4-JYJ": "join_plan",
    "stap 1: wij zien op woensdag veel diefstal": "add_contribution",
    "toevoegen aan stap 3: wij surveilleren al": "add_contribution",
    "stap 3": None,
    "winkeldiefstallen Q1 2027: 42": None,
    "bel 06-12345678": None,
    "in 2026-2027 meer inbraken in de gemeente": None,
    '/join_plan{"join_code": "K7QM-4MXZ"}': None,
}
# (intent, text, entities) -> does the text carry the intent's signal?
HAS_SIGNAL = [
    ("compare_methods", "wat is het verschil tussen KVO en KVU", [], True),
    ("compare_methods", "kvo of kvu?", [], True),
    (
        "compare_methods",
        "beke of streetwise?",
        [{"entity": "method", "value": "groepsaanpak"}],
        True,
    ),
    ("compare_methods", "wat is beter voor jongeren in de wijk", [], False),
    ("compare_methods", "streetwise vs groepsaanpak", [], True),
    ("record_measurement", "winkeldiefstallen Q1 2027: 42", [], True),
    ("record_measurement", "veel fietsendiefstal bij het station", [], False),
    ("join_plan", "ik wil meedoen met een plan", [], True),
    ("join_plan", "jongeren bij de sporthal die overlast geven", [], False),
    ("leave_plan", "ik stap uit het plan", [], True),
    ("leave_plan", "de wijk voelt onveilig sinds de verbouwing", [], False),
    ("add_contribution", "ik heb een aanvulling", [], True),
    ("add_contribution", "er wordt gedeald in het portiek van een flat", [], False),
    ("remove_participant", "verwijder een deelnemer", [], True),
    ("remove_participant", "spanningen tussen bevolkingsgroepen in de wijk", [], False),
    ("close_plan", "sluit het gedeelde plan af", [], True),
    ("close_plan", "donkere paden en slechte verlichting", [], False),
    ("greet", "wat dan ook", [], True),
    ("start_plan", "kun je me helpen een veiligheidsplan op te stellen", [], True),
    ("start_plan", "jeugdoverlast", [], False),
    ("affirm", "...", [], False),
    ("deny", "inbrakn", [], False),
    ("affirm", "ja graag", [], True),
    ("compare_methods", '/compare_methods{"method": ["kvo", "kvu"]}', [], True),
]
# A digit-free "code" is never made by knowledge/sharing/codes.py, so it is not a join signal.
NOT_A_SIGNAL = {"dmst eyce"}


def _probe(intent_for: list[str], has_signal: list[list]) -> dict:
    return json.loads(
        rasa_probe(
            PROBE,
            stdin=json.dumps({"intent_for": intent_for, "has_signal": has_signal}),
            timeout=180,
        )
    )


def _training_examples(intents: set[str]) -> list[list]:
    """(intent, text, entities) of every training example of ``intents``, entities as in Rasa."""
    import re

    import yaml

    annotated = re.compile(r"\[([^\]]+)\]\((\w+)\)")
    cases = []
    for path in sorted((ROOT / "nlu" / "train").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if block.get("intent") not in intents:
                continue
            for line in block["examples"].splitlines():
                raw = line.strip()[2:].strip()
                text = annotated.sub(r"\1", raw)
                if not raw or text in NOT_A_SIGNAL:
                    continue
                entities = [{"entity": e, "value": v} for v, e in annotated.findall(raw)]
                cases.append([block["intent"], text, entities])
    return cases


def test_join_codes_and_step_prefixes_decide_the_intent_and_signals_are_checked():
    result = _probe(list(INTENT_FOR), [list(c[:3]) for c in HAS_SIGNAL])
    assert result["intent_for"] == list(INTENT_FOR.values())
    assert result["has_signal"] == [c[3] for c in HAS_SIGNAL]


def test_every_training_example_of_a_context_intent_carries_its_signal():
    """Demoting by signal must never take a phrasing away that the data teaches."""
    intents = {
        "join_plan",
        "add_contribution",
        "leave_plan",
        "remove_participant",
        "close_plan",
        "record_measurement",
        "compare_methods",
        "start_plan",
        "affirm",
        "deny",
    }
    cases = _training_examples(intents)
    assert len(cases) > 200
    result = _probe([], cases)
    missing = [c[:2] for c, ok in zip(cases, result["has_signal"], strict=True) if not ok]
    assert missing == []
