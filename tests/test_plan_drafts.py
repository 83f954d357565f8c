"""A plan still being drafted (the planner is not finished) is listed by 'mijn plannen' as a
concept that is 'nog bezig' (knowledge/sharing/drafts.py, projects_view.plans_reply)."""

from __future__ import annotations

from datetime import UTC, datetime

from knowledge.catalogue import load_catalogue
from knowledge.payloads import CONTINUE_PLAN, START_PLAN
from knowledge.sharing.drafts import draft_of
from knowledge.sharing.naming import propose_name
from knowledge.sharing.projects import PlanItem
from knowledge.sharing.projects_view import plans_reply
from knowledge.steps import COUNT, SLOTS

DAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SHOPS = "veel winkeldiefstal in Winkelcentrum Zuid"


def name_for(answers: dict, created: datetime) -> str:
    return propose_name(str(answers.get("plan_problem") or ""), load_catalogue(), created)


def saved_item() -> PlanItem:
    return PlanItem("p1", "Stationsgebied Oost", True, "open", DAY, False)


def test_a_planner_with_answers_and_no_saved_plan_is_a_draft_named_from_step_1() -> None:
    answers = {SLOTS[0]: SHOPS, SLOTS[1]: "winkeldiefstal eerst"}
    draft = draft_of(answers, {"problems": ["winkeldiefstal"]}, True, name_for, DAY)
    assert draft is not None
    assert (draft.name, draft.answered, draft.total) == ("Winkelcentrum Zuid", 2, COUNT)
    expected = f"Winkelcentrum Zuid (concept): nog bezig, 2 van {COUNT} vragen beantwoord"
    assert draft.line == expected + " (nu gekozen)"


def test_the_first_question_open_is_a_draft_with_a_dated_name() -> None:
    draft = draft_of({}, None, True, name_for, DAY)
    assert draft is not None and draft.answered == 0
    assert draft.name == "Plan van 2 december 2026"


def test_no_draft_without_answers_outside_the_planner_or_for_a_saved_plan() -> None:
    assert draft_of({slot: None for slot in SLOTS}, None, False, name_for, DAY) is None
    answers = {slot: "antwoord" for slot in SLOTS}
    # A plan id in the planner's state: the plan is in the store (and in the list already).
    assert draft_of(answers, {"plan_id": "abc"}, True, name_for, DAY) is None


def test_the_list_shows_saved_plans_and_a_paused_concept_with_a_button_to_go_on() -> None:
    draft = draft_of({SLOTS[0]: SHOPS}, None, False, name_for, DAY)
    reply = plans_reply([saved_item()], draft)
    assert reply.text.startswith("Je hebt 1 plan en 1 concept:")
    assert "2. Winkelcentrum Zuid (concept): nog bezig, 1 van" in reply.text
    payloads = {b["title"]: b["payload"] for b in reply.buttons}
    assert payloads["Winkelcentrum Zuid (concept)"] == CONTINUE_PLAN
    assert payloads["Nieuw plan"] == START_PLAN and "Stationsgebied Oost" in payloads


def test_inside_the_planner_the_concept_is_listed_without_a_button() -> None:
    reply = plans_reply([saved_item()], draft_of({SLOTS[0]: SHOPS}, None, True, name_for, DAY))
    assert "Winkelcentrum Zuid (concept): nog bezig, 1 van" in reply.text
    assert "(nu gekozen)" in reply.text
    assert CONTINUE_PLAN not in {b["payload"] for b in reply.buttons}


def test_only_a_concept_is_no_empty_list() -> None:
    reply = plans_reply([], draft_of({SLOTS[0]: SHOPS}, None, True, name_for, DAY))
    assert "nog geen plan dat af is" in reply.text and "Winkelcentrum Zuid (concept)" in reply.text
    assert "Je hebt nog geen plannen" in plans_reply([], None).text
