"""Measure actions without Rasa: the loop (menu, pick, details, own measure, klaar), take-on and
the owner's decision; access from the sender id and the store, never from slots or entities."""

from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.ask_measure_step import ActionAskMeasureStep
from actions.decide_measure import ActionDecideMeasure
from actions.plan_summary import ActionPlanSummary
from actions.show_measures import ActionShowMeasures
from actions.start_measures import ActionStartMeasures
from actions.take_on_measure import ActionTakeOnMeasure
from actions.validate_measure_form import ValidateMeasureForm
from tests.test_sharing_actions import ANSWERS, joined, run, tracker


def plan_with_methods(store, sender: str = "owner"):
    slots = {**ANSWERS, "plan_state": {"methods": ["kvo", "streetwise"]}}
    run(ActionPlanSummary(), tracker(sender, "laat mijn plan zien", "show_plan", slots=slots))
    return store.get_plan(store.current_participation(sender).plan_id)


def answer(sender: str, text: str, pending: str | None = None, entities=None) -> dict:
    """One answer in the measure loop: what validate_measure_form sets."""
    t = tracker(sender, text, "inform", entities=entities, slots={"measure_pending": pending})
    dispatcher = CollectingDispatcher()
    form = ValidateMeasureForm()
    result = asyncio.run(form.validate_measure_step(text, dispatcher, t, {}))
    result["_text"] = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    return result


def test_the_loop_adds_method_steps_and_own_measures(sharing_db):
    plan_with_methods(sharing_db)
    _, events = run(ActionStartMeasures(), tracker("owner", "maatregel toevoegen", "add_measure"))
    assert any(e["event"] == "followup" and e["name"] == "measure_form" for e in events)
    menu, _ = run(ActionAskMeasureStep(), tracker("owner", "", "add_measure"))
    assert "KVO:" in menu and "1. samenwerking organiseren" in menu

    picked = answer("owner", '/inform{"measure_number": "2"}', entities=[
        {"entity": "measure_number", "value": "2"}
    ])  # fmt: skip
    assert picked["measure_pending"] == "1" and "veiligheid analyseren" in picked["_text"]
    details, _ = run(
        ActionAskMeasureStep(), tracker("owner", "", "inform", slots={"measure_pending": "1"})
    )
    assert "Klopt dit voor maatregel 1" in details
    changed = answer("owner", "politie, maart tot juni 2027", pending="1")
    assert "Politie" in changed["_text"] and "maart 2027 - juni 2027" in changed["_text"]
    assert changed["measure_pending"] is None

    own = answer("owner", "extra verlichting in de steeg, Q2 2027")
    assert own["measure_pending"] == "2" and "extra verlichting in de steeg" in own["_text"]
    assert answer("owner", "klopt", pending="2")["measure_pending"] is None
    assert answer("owner", "klaar")["measure_step"] == "klaar"

    overview, _ = run(ActionShowMeasures(), tracker("owner", "wie doet wat", "show_measures"))
    assert "1. veiligheid analyseren - Politie, maart 2027 - juni 2027" in overview
    assert "2. extra verlichting in de steeg" in overview and "Q2 2027" in overview


def test_a_partner_offers_and_only_the_owner_decides(sharing_db):
    plan = plan_with_methods(sharing_db)
    answer("owner", "1")
    joined(sharing_db, plan)
    offer, _ = run(
        ActionTakeOnMeasure(),
        tracker("partner", "wij nemen maatregel 1 op ons", "take_on_measure"),
    )
    assert "eigenaar" in offer
    forged = [{"entity": "measure_number", "value": "1"}]
    refused, _ = run(
        ActionDecideMeasure(),
        tracker("partner", '/confirm_measure{"measure_number": "1"}', "confirm_measure", forged),
    )
    assert "Alleen de eigenaar" in refused
    board, _ = run(ActionShowMeasures(), tracker("owner", "wie doet wat", "show_measures"))
    assert "Politie Midden-Nederland" in board and "wil maatregel 1 doen" in board
    done, _ = run(
        ActionDecideMeasure(),
        tracker("owner", '/confirm_measure{"measure_number": "1"}', "confirm_measure", forged),
    )
    assert "Bevestigd: maatregel 1" in done and "Politie Midden-Nederland" in done


def test_a_stranger_cannot_start_the_loop(sharing_db):
    plan_with_methods(sharing_db)
    text, events = run(ActionStartMeasures(), tracker("stranger", "maatregel toevoegen", "x"))
    assert "nog niet mee" in text and not events
