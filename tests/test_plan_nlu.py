"""NLU mechanisms for plans and measures (issue 16): the period regex feature and the plan switch.

- The period regex (nlu/generated/regexes.yml, made by knowledge/nlu_export.py from the month
  names of knowledge/nl/dates.py) marks exactly the months and quarters that
  knowledge/goals/periods.py reads as a measure's period, and no measure number or bare year.
- IntentSignals (rasa_ext/intent_signals.py) keeps switch_plan only with the words of switching
  (every training example has them; a problem word alone is no switch), and makes going on with
  or showing a plan that is named
  by its plan_name entity, or an unsure guess with a plan name, a switch to that plan; without a
  plan name, or with words for naming it, it changes nothing.
The texts are new phrasings, none from an evaluation set.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import yaml
from rasa_probe import rasa_probe

from knowledge.goals.periods import find_periods
from knowledge.nl.dates import MONTH_NAMES
from knowledge.nlu_export import period_patterns

TODAY = date(2026, 12, 2)


def period_spans(text: str) -> list[str]:
    patterns = [re.compile(p, re.IGNORECASE) for p in period_patterns()]
    return sorted({m.group(0) for p in patterns for m in p.finditer(text)})


def test_period_regex_marks_months_and_quarters_the_period_reader_reads():
    cases = {
        "wij starten in maart 2027 met de schouw": "maart 2027",
        "vanaf Q3 2027 extra toezicht": "Q3 2027",
        "in het tweede kwartaal van 2027": "tweede kwartaal van 2027",
        "de aanpak loopt van jan t/m mrt 2028": "jan t/m mrt 2028",
        "kwartaal 2 is te vroeg": "kwartaal 2",
        "de 3e kwartaal planning": "3e kwartaal",
        "pas in oktober": "oktober",
    }
    for text, span in cases.items():
        assert period_spans(text) == [span], text
        assert find_periods(span.lower(), TODAY), span  # the reader reads what the feature marks


def test_every_month_name_is_a_period_and_numbers_alone_are_not():
    for name in MONTH_NAMES:
        assert period_spans(f"start in {name} 2027") == [f"{name} 2027"]
    for text in ("wij nemen maatregel 2 op ons", "in 2027 minder inbraken", "nummer 12 graag"):
        assert period_spans(text) == [], text


PROBE = """
import json, sys
from rasa_ext.intent_signals import IntentSignals
component = IntentSignals()
print(json.dumps([component.redirect(i, t, e) for i, t, e in json.load(sys.stdin)]))
"""


def named(value: str, entity: str = "plan_name") -> list[dict]:
    return [{"entity": entity, "value": value}]


def test_a_plan_name_makes_going_on_or_opening_a_switch():
    cases = [
        ("continue_plan", "we gaan door met Veilig Havenkwartier", named("Veilig Havenkwartier")),
        ("show_plan", "open Buurtaanpak Lindenholt", named("Buurtaanpak Lindenholt")),
        ("continue_plan", "verder met het plan over de fietsendiefstal", named("fiets", "problem")),
        ("continue_plan", "ga maar door met de vragen", []),
        ("show_plan", "laat het plan van aanpak zien", []),
        ("rename_plan", "noem het Veilig Havenkwartier", named("Veilig Havenkwartier")),
        ("nlu_fallback", "nu even naar Buurtaanpak Lindenholt", named("Buurtaanpak Lindenholt")),
        ("nlu_fallback", "de titel wordt Veilig Havenkwartier", named("Veilig Havenkwartier")),
        ("nlu_fallback", "nu even de buurtaanpak", []),
        ("nlu_fallback", "ruzies bij de snackbar op het Kerkplein elk weekend", named("Kerkplein")),
    ]
    result = json.loads(rasa_probe(PROBE, stdin=json.dumps([c[:3] for c in cases]), timeout=180))
    assert result == [
        "switch_plan",
        "switch_plan",
        None,
        None,
        None,
        None,
        "switch_plan",
        None,
        None,
        None,
    ]


SIGNAL_PROBE = """
import json, sys
from rasa_ext.intent_signals import IntentSignals
component = IntentSignals()
print(json.dumps([component.has_signal(i, t, e) for i, t, e in json.load(sys.stdin)]))
"""
ANNOTATED = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def switch_examples() -> list[list]:
    path = Path(__file__).resolve().parents[1] / "nlu" / "train" / "projects.yml"
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    lines = next(b["examples"] for b in blocks if b.get("intent") == "switch_plan").splitlines()
    cases = []
    for line in (raw.strip()[2:].strip() for raw in lines):
        if line:
            entities = [{"entity": e, "value": v} for v, e in ANNOTATED.findall(line)]
            cases.append(["switch_plan", ANNOTATED.sub(r"\1", line), entities])
    return cases


def test_switch_plan_needs_the_words_of_switching():
    training = switch_examples()
    others = [
        ["switch_plan", "uitgaansgeweld", named("uitgaansgeweld", "problem")],
        ["switch_plan", "Buurtaanpak Lindenholt", named("Buurtaanpak Lindenholt")],
        ["switch_plan", "pak Buurtaanpak Lindenholt er even bij", named("Buurtaanpak Lindenholt")],
    ]
    result = json.loads(rasa_probe(SIGNAL_PROBE, stdin=json.dumps(training + others)))
    missing = [c[1] for c, ok in zip(training, result[: len(training)], strict=True) if not ok]
    assert len(training) > 40 and missing == []
    assert result[len(training) :] == [False, False, True]


STEP_PROBE = """
import json, sys
from rasa_ext.intent_signals import IntentSignals
component = IntentSignals()
print(json.dumps([component.intent_for(t) for t in json.load(sys.stdin)]))
"""


def test_a_step_after_a_word_for_a_contribution_is_a_contribution():
    """'reactie op stap 4: ...' is the assistant's step syntax after a word for a contribution;
    going back to a step is not ('terug naar stap 2: ...')."""
    texts = {
        "mijn reactie op stap 4: het doel is te vaag": "add_contribution",
        "aanvulling bij stap 1: ook overlast bij de markt": "add_contribution",
        "stap 3: wij lopen al op vrijdag": "add_contribution",
        "terug naar stap 2: daar klopt iets niet": None,
        "een reactie op stap 4": None,
    }
    result = json.loads(rasa_probe(STEP_PROBE, stdin=json.dumps(list(texts))))
    assert result == list(texts.values())
