"""The custom actions as rasa-sdk runs them: thin adapters over knowledge/."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.compare_methods import ActionCompareMethods
from actions.explain_method import ActionExplainMethod
from actions.plan_go_back import ActionPlanGoBack
from actions.plan_summary import ActionPlanSummary
from actions.recommend_methods import ActionRecommendMethods
from actions.validate_planner_form import ValidatePlannerForm

DOMAIN = {"slots": {}, "forms": {}}


def tracker(text: str, intent: str, entities=None, slots=None) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return dispatcher.messages, events


def test_recommend_sets_the_method_slot():
    messages, events = run(
        ActionRecommendMethods(), tracker("welke methode voor winkeldiefstal?", "search_method")
    )
    assert "Keurmerk Veilig Ondernemen" in messages[0]["text"]
    assert {"event": "slot", "name": "method", "value": "kvo", "timestamp": None} in events


def test_explain_from_a_button_payload_entity():
    t = tracker(
        '/explain_method{"method": "ctc"}', "explain_method", [{"entity": "method", "value": "ctc"}]
    )
    messages, _ = run(ActionExplainMethod(), t)
    assert messages[0]["text"].startswith("Communities that Care")


def test_explain_from_free_text_and_from_context():
    messages, _ = run(
        ActionExplainMethod(), tracker("hoe werkt de hotspotaanpak?", "explain_method")
    )
    assert "Hotspotaanpak" in messages[0]["text"]
    messages, _ = run(
        ActionExplainMethod(), tracker("hoe werkt dat?", "explain_method", slots={"method": "vos"})
    )
    assert "Veilig op School" in messages[0]["text"]


def test_explain_unknown_method_never_invents_one():
    # No method named or talked about: understanding decides (advice, or "welke methode bedoel
    # je?", tests/test_understanding.py); with a method talked about that one is explained.
    messages, events = run(
        ActionExplainMethod(), tracker("wat is de buurtvaderaanpak?", "explain_method")
    )
    assert messages == [] and [e["name"] for e in events] == ["action_understand"]


def test_compare_two_named_methods():
    messages, _ = run(
        ActionCompareMethods(), tracker("wat is het verschil tussen KVO en KVU?", "compare_methods")
    )
    assert "vergeleken" in messages[0]["text"]


def test_compare_asks_for_two_methods():
    messages, _ = run(ActionCompareMethods(), tracker("vergelijk", "compare_methods"))
    assert "Welke twee methoden" in messages[0]["text"]


@pytest.fixture
def form():
    return ValidatePlannerForm()


def validate(form, slot, text, slots=None, entities=None):
    t = tracker(text, "inform", entities, slots)
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = asyncio.run(method(text, dispatcher, t, DOMAIN))
    return result, dispatcher.messages


def test_problem_is_reflected_back(form):
    result, messages = validate(form, "plan_problem", "veel winkeldiefstal in het winkelcentrum")
    assert result["plan_problem"] == "veel winkeldiefstal in het winkelcentrum"
    assert result["plan_state"]["problems"] == ["winkeldiefstal"]
    assert "winkeldiefstal" in messages[0]["text"]


def test_goal_gets_two_tries_then_a_note(form):
    result, messages = validate(form, "plan_goal", "we plaatsen camera's")
    assert result["plan_goal"] is None and "maatregel" in messages[0]["text"]
    state = result["plan_state"]
    result, messages = validate(form, "plan_goal", "minder diefstal", slots={"plan_state": state})
    assert result["plan_goal"] == "minder diefstal"
    assert (
        result["plan_state"]["notes"]
        and "niet helemaal SMART" in result["plan_state"]["goal_verdict"]
    )


def test_smart_goal_is_accepted_first_time(form):
    goal = "In 2027 daalt het aantal winkeldiefstallen in het centrum met 20%"
    result, _ = validate(form, "plan_goal", goal)
    assert result["plan_goal"] == goal and "SMART" in result["plan_state"]["goal_verdict"]


def test_method_choice_from_a_button(form):
    result, _ = validate(
        form,
        "plan_methods",
        '/inform{"method": "kvo"}',
        entities=[{"entity": "method", "value": "kvo"}],
    )
    assert result["plan_state"]["methods"] == ["kvo"]
    assert result["plan_methods"] == "Keurmerk Veilig Ondernemen"


def test_go_back_clears_the_previous_answer():
    _, events = run(
        ActionPlanGoBack(), tracker("terug", "go_back", slots={"requested_slot": "plan_current"})
    )
    assert {"event": "slot", "name": "plan_priorities", "value": None, "timestamp": None} in events


def test_summary_writes_a_docx_and_gives_the_link(sharing_db, tmp_path):
    slots = {
        "plan_problem": "winkeldiefstal in het centrum",
        "plan_goal": "In 2027 20% minder winkeldiefstal in het centrum",
        "plan_state": {"methods": ["kvo"]},
    }
    messages, _ = run(ActionPlanSummary(), tracker("laat mijn plan zien", "show_plan", slots=slots))
    link = messages[1]["custom"]
    assert link["url"].endswith(f"/plans/{link['plan_id']}.docx")
    assert (tmp_path / "plans" / f"{link['plan_id']}.docx").is_file()
    assert sharing_db.current_participation("test").role == "owner"


def test_action_server_registers_exactly_the_domains_custom_actions():
    import glob

    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    declared = set()
    for path in glob.glob("bot/domain/*.yml"):
        with open(path, encoding="utf-8") as handle:
            declared |= set(yaml.safe_load(handle).get("actions") or [])
    assert set(executor.actions) == declared


def test_typed_method_names_are_a_choice_in_step_five(form):
    t = tracker("KVO en de hotspotaanpak", "explain_method", [{"entity": "method", "value": "kvo"}])
    dispatcher = CollectingDispatcher()
    result = asyncio.run(
        form.validate_plan_methods("KVO en de hotspotaanpak", dispatcher, t, DOMAIN)
    )
    assert result["plan_state"]["methods"] == ["kvo", "hotspot"]


def test_a_question_in_step_five_is_answered_not_taken_as_choice(form):
    t = tracker(
        "wat is streetwise?", "explain_method", [{"entity": "method", "value": "streetwise"}]
    )
    dispatcher = CollectingDispatcher()
    result = asyncio.run(form.validate_plan_methods("wat is streetwise?", dispatcher, t, DOMAIN))
    assert result == {"plan_methods": None}
    assert dispatcher.messages[0]["text"].startswith("Streetwise")
