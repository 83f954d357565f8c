"""End to end over REST: two plans side by side, switching, names in replies, a partner in both.

Real Rasa, action and web servers (the conftest ``stack``); the plan store decides who may open
which plan, so a typed '/switch_plan{"plan_id": ...}' of someone else's plan is refused.
"""

from __future__ import annotations

import json

import pytest

from tests.test_e2e_sharing import GOAL, Chat, custom, join, share

pytestmark = pytest.mark.e2e

STATION = "overlast van hangjongeren bij het stationsgebied in Oost"
SHOPS = "veel winkeldiefstal in Winkelcentrum Zuid"


def draft(owner: Chat, problem: str) -> list[dict]:
    """The six planner questions for a new plan; the replies to the last answer."""
    assert "Vraag 1 van 6" in owner.text("ik wil een nieuw plan van aanpak maken")
    owner.text(problem)
    owner.text("dat is het belangrijkste probleem")
    owner.text("de politie surveilleert af en toe")
    assert "Vraag 5 van 6" in owner.text(GOAL)
    owner.say('/inform{"method": "kvo"}')
    replies = owner.say("aangiftes bij de politie, evaluatie elk kwartaal")
    assert custom(replies, "plan")["url"].endswith(".docx")
    return replies


def texts(replies: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def plan_buttons(replies: list[dict]) -> dict[str, str]:
    """Button title -> payload of the plan list."""
    return {
        b["title"]: b["payload"]
        for m in replies
        for b in m.get("buttons") or []
        if b["payload"].startswith("/switch_plan")
    }


def test_two_plans_side_by_side_and_a_partner_in_both(stack):
    owner, partner, stranger = (Chat(stack["url"], w) for w in ("owner", "partner", "stranger"))
    first = texts(draft(owner, STATION))
    assert "Plan: Stationsgebied Oost" in first and "de naam 'Stationsgebied Oost'" in first
    second = texts(draft(owner, SHOPS))  # a new plan, not the first one overwritten
    assert "Plan: Winkelcentrum Zuid" in second

    listed = owner.say("mijn plannen")
    assert "Je hebt 2 plannen" in texts(listed)
    buttons = plan_buttons(listed)
    assert set(buttons) == {"Stationsgebied Oost", "Winkelcentrum Zuid"}

    # A button makes the other plan current; the plan view names it and shows its own answers.
    assert "Je werkt nu aan het plan 'Stationsgebied Oost'" in owner.text(
        buttons["Stationsgebied Oost"]
    )
    view = owner.text("laat het plan zien")
    assert view.startswith("Plan: Stationsgebied Oost") and "stationsgebied" in view
    assert "Winkelcentrum Zuid" not in view
    code_station = share(owner)

    # Typed, with the name: back to the shopping centre, and share that one too.
    # (NLU quality on unseen wording is measured on nlu/test/projects_test.yml, not here.)
    assert "Plan: Winkelcentrum Zuid" in owner.text("ga verder met het plan Winkelcentrum Zuid")
    code_shops = share(owner)
    assert code_shops != code_station

    # The partner joins both; joining the second keeps the first.
    assert "Je doet nu mee" in join(partner, code_station, "Bram", "Politie Midden-Nederland")
    assert "Je doet nu mee" in join(partner, code_shops, "Bram", "Politie Midden-Nederland")
    mine = partner.say("welke plannen heb ik?")
    assert set(plan_buttons(mine)) == {
        "Stationsgebied Oost (partner)",
        "Winkelcentrum Zuid (partner)",
    }
    switched = partner.text(plan_buttons(mine)["Stationsgebied Oost (partner)"])
    assert "Je werkt nu aan het plan 'Stationsgebied Oost'. Je doet mee als partner." in switched
    saved = partner.text("stap 3: wij surveilleren op vrijdagavond bij het station")
    assert saved.startswith("Plan: Stationsgebied Oost") and "Opgeslagen" in saved

    # Someone who takes part in neither plan cannot open one by its id.
    plan_id = json.loads(buttons["Stationsgebied Oost"].removeprefix("/switch_plan"))["plan_id"]
    forged = stranger.text('/switch_plan{"plan_id": "' + plan_id + '"}')
    assert "Dat plan ken ik niet" in forged and "Stationsgebied" not in forged
    assert "Stationsgebied" not in stranger.text("laat het plan zien")

    # Renaming: the owner's current plan gets the new name everywhere.
    renamed = owner.text("noem dit plan Winkelhart Zuid")
    assert "Het plan heet nu 'Winkelhart Zuid'" in renamed
    assert "Winkelhart Zuid (partner)" in plan_buttons(partner.say("mijn plannen"))


def test_my_plans_inside_the_planner_interrupts_and_the_question_comes_back(stack):
    """'mijn plannen' while the planner waits for an answer lists the plans, is no answer, and
    the planner asks its open question again; a plan's button switches and goes on there."""
    owner = Chat(stack["url"], "interrupted")
    draft(owner, STATION)
    assert "Vraag 1 van 6" in owner.text("ik wil een nieuw plan van aanpak maken")
    assert "Vraag 2 van 6" in owner.text(SHOPS)

    listed = owner.say("mijn plannen")
    said = texts(listed)
    assert "Stationsgebied Oost" in said and "Vraag 2 van 6" in said
    assert "Stationsgebied Oost" in plan_buttons(listed)
    assert "Vraag 3 van 6" in owner.text("winkeldiefstal is het belangrijkste probleem")
    view = owner.text("laat het plan zien")
    assert "belangrijkste probleem" in view  # step 2's answer is the one after the list

    # The first plan's button inside the planner: that plan is current, and complete.
    switched = texts(owner.say(plan_buttons(listed)["Stationsgebied Oost"]))
    assert "Je werkt nu aan het plan 'Stationsgebied Oost'" in switched
    assert "Vraag 4 van 6" not in switched


def test_a_plan_still_being_drafted_is_listed_as_a_concept(stack):
    """'mijn plannen' during the planner lists the unfinished plan as 'nog bezig' next to the
    saved plans; paused, its button goes on with the planner's open question."""
    fresh = Chat(stack["url"], "first-draft")
    assert "Vraag 1 van 6" in fresh.text("ik wil een nieuw plan van aanpak maken")
    only = texts(fresh.say("mijn plannen"))
    assert "nog geen plan dat af is" in only and "(concept): nog bezig, 0 van 6" in only
    assert "Vraag 1 van 6" in only  # the planner asks its open question again

    owner = Chat(stack["url"], "drafting")
    draft(owner, STATION)  # a saved plan, no concept
    assert "concept" not in texts(owner.say("mijn plannen"))
    assert "Vraag 1 van 6" in owner.text("ik wil een nieuw plan van aanpak maken")
    assert "Vraag 2 van 6" in owner.text(SHOPS)
    listed = owner.say("mijn plannen")
    said = texts(listed)
    assert "Je hebt 1 plan en 1 concept" in said
    assert "Winkelcentrum Zuid (concept): nog bezig, 1 van 6 vragen beantwoord" in said
    assert "Vraag 2 van 6" in said  # inside the planner its open question follows the list

    # Paused, the concept has a button that goes on where the planner stopped.
    owner.text("/stop_plan")
    listed = owner.say("mijn plannen")
    buttons = {b["title"]: b["payload"] for m in listed for b in m.get("buttons") or []}
    assert buttons["Winkelcentrum Zuid (concept)"] == "/continue_plan"
    assert "Vraag 2 van 6" in texts(owner.say(buttons["Winkelcentrum Zuid (concept)"]))
