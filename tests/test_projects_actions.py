"""Plans as projects through the actions (no Rasa): buttons, the plan line, forged payloads."""

from __future__ import annotations

import asyncio
import json

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from test_sharing_actions import ANSWERS as SHARING_ANSWERS
from test_sharing_actions import tracker

from actions.list_plans import ActionListPlans
from actions.plan_summary import ActionPlanSummary
from actions.record_measurement import ActionRecordMeasurement
from actions.rename_plan import ActionRenamePlan
from actions.show_plan import ActionShowPlan
from actions.start_plan import ActionStartPlan
from actions.switch_plan import ActionSwitchPlan
from knowledge.payloads import LIST_PLANS, RENAME_PLAN, switch_plan_payload
from knowledge.steps import SLOTS

DOMAIN = {"slots": {}, "forms": {}}
ANSWERS = {**SHARING_ANSWERS, "plan_problem": "veel winkeldiefstal in Winkelcentrum Zuid"}
STATION = {**ANSWERS, "plan_problem": "overlast van jongeren bij het stationsgebied in Oost"}


def run(action, t: Tracker) -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, events


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def draft(sender: str, answers: dict) -> list[dict]:
    """Start a new plan and finish it, as the planner does (the slots start empty)."""
    _, events = run(ActionStartPlan(), tracker(sender, "ik wil een plan maken", "start_plan"))
    assert {"event": "slot", "name": "plan_state", "value": None} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    slots = {**answers, "plan_state": None}
    messages, _ = run(ActionPlanSummary(), tracker(sender, "klaar", "inform", slots=slots))
    return messages


def test_two_plans_side_by_side_with_names_buttons_and_the_plan_line(sharing_db):
    first = draft("olga", STATION)
    assert first[0]["text"].startswith("Plan: Stationsgebied Oost\n")
    named = [m for m in first if "de naam 'Stationsgebied Oost'" in (m.get("text") or "")]
    assert named and {b["payload"] for b in named[0]["buttons"]} == {RENAME_PLAN, LIST_PLANS}
    draft("olga", ANSWERS)
    assert (
        len({p.id for p in map(lambda e: e.membership.plan, sharing_db.plan_entries("olga"))}) == 2
    )

    messages, _ = run(ActionListPlans(), tracker("olga", "mijn plannen", "list_plans"))
    listed = messages[0]
    assert "Je hebt 2 plannen" in listed["text"] and not listed["text"].startswith("Plan:")
    plans = {p.membership.plan.name: p.membership.plan.id for p in sharing_db.plan_entries("olga")}
    assert {b["title"]: b["payload"] for b in listed["buttons"][:2]} == {
        name: switch_plan_payload(plan_id) for name, plan_id in plans.items()
    }

    # A button: the payload's plan id is checked against the store.
    button = switch_plan_payload(plans["Stationsgebied Oost"])
    assert button.startswith("/switch_plan{")
    payload = json.loads(button.removeprefix("/switch_plan"))
    messages, events = run(
        ActionSwitchPlan(),
        tracker(
            "olga", "", "switch_plan", entities=[{"entity": "plan_id", "value": payload["plan_id"]}]
        ),
    )
    assert messages[0]["text"].startswith("Plan: Stationsgebied Oost\nJe werkt nu aan")
    slot_values = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slot_values["plan_problem"] == STATION["plan_problem"]
    assert slot_values["plan_state"]["plan_id"] == plans["Stationsgebied Oost"]
    assert set(SLOTS) <= set(slot_values)

    # Every command on a plan says which one.
    messages, _ = run(
        ActionRecordMeasurement(),
        tracker("olga", "winkeldiefstallen Q1 2027: 42", "record_measurement"),
    )
    assert messages[0]["text"].startswith("Plan: Stationsgebied Oost\n")
    messages, _ = run(
        ActionSwitchPlan(), tracker("olga", "ga verder met winkelcentrum zuid", "switch_plan")
    )
    assert messages[0]["text"].startswith("Plan: Winkelcentrum Zuid\n")
    messages, _ = run(ActionShowPlan(), tracker("olga", "laat het plan zien", "show_plan"))
    assert messages[0]["text"].startswith("Plan: Winkelcentrum Zuid\n")


def test_a_forged_plan_id_is_refused_in_dutch(sharing_db):
    draft("olga", STATION)
    victim = sharing_db.current_participation("olga").plan_id
    draft("mallory", ANSWERS)
    mine = sharing_db.current_participation("mallory").plan_id
    forged = [{"entity": "plan_id", "value": victim}]
    messages, events = run(
        ActionSwitchPlan(), tracker("mallory", "", "switch_plan", entities=forged)
    )
    assert "Dat plan ken ik niet" in text_of(messages)
    assert "Stationsgebied" not in text_of(messages) and events == []
    assert sharing_db.current_participation("mallory").plan_id == mine
    # Typed names only reach the sender's own plans.
    messages, _ = run(
        ActionSwitchPlan(), tracker("mallory", "ga verder met Stationsgebied Oost", "switch_plan")
    )
    assert "Ik vind geen plan met de naam 'Stationsgebied Oost'" in text_of(messages)
    assert [b["title"] for b in messages[0]["buttons"]] == ["Winkelcentrum Zuid"]


def test_rename_asks_for_a_name_then_renames(sharing_db):
    draft("olga", ANSWERS)
    messages, _ = run(ActionRenamePlan(), tracker("olga", RENAME_PLAN, "rename_plan"))
    assert "noem dit plan" in text_of(messages)
    messages, _ = run(
        ActionRenamePlan(),
        tracker(
            "olga",
            "noem dit plan Centrum Noord",
            "rename_plan",
            entities=[{"entity": "plan_name", "value": "Centrum Noord"}],
        ),
    )
    assert "Het plan heet nu 'Centrum Noord'." in text_of(messages)
    assert messages[0]["text"].startswith("Plan: Winkelcentrum Zuid\n")  # the plan it renamed
    messages, _ = run(ActionListPlans(), tracker("olga", "mijn plannen", "list_plans"))
    assert messages[0]["buttons"][0]["title"] == "Centrum Noord"


def test_no_plans_yet(sharing_db):
    messages, _ = run(ActionListPlans(), tracker("new", "mijn plannen", "list_plans"))
    assert "Je hebt nog geen plannen" in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "Plan maken", "payload": "/start_plan"}]
    messages, _ = run(ActionSwitchPlan(), tracker("new", "ga verder met Zuid", "switch_plan"))
    assert "Je hebt nog geen plannen" in messages[0]["text"]


def test_in_telegram_the_plan_list_is_an_inline_keyboard(sharing_db):
    from channels.telegram.buttons import keyboard, lookup

    draft("olga", STATION)
    draft("olga", ANSWERS)
    messages, _ = run(ActionListPlans(), tracker("olga", "mijn plannen", "list_plans"))
    chat_data: dict = {}
    markup = keyboard(chat_data, messages[0]["buttons"])
    rows = markup.inline_keyboard
    assert [row[0].text for row in rows] == [b["title"] for b in messages[0]["buttons"]]
    assert all(len(row[0].callback_data.encode()) <= 64 for row in rows)
    assert [lookup(chat_data, row[0].callback_data) for row in rows] == [
        b["payload"] for b in messages[0]["buttons"]
    ]
