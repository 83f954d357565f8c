"""Shared-plan actions without Rasa: access comes from the sender id and the store, never slots."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.close_plan import ActionClosePlan
from actions.join_plan import ActionJoinPlan
from actions.plan_summary import ActionPlanSummary
from actions.profile_submit import ActionProfileSubmit
from actions.record_measurement import ActionRecordMeasurement
from actions.remove_participant import ActionRemoveParticipant
from actions.start_contribution import ActionStartContribution

DOMAIN = {"slots": {}, "forms": {}}
ANSWERS = {
    "plan_problem": "veel winkeldiefstal in het centrum",
    "plan_priorities": "winkeldiefstal",
    "plan_current": "de politie surveilleert",
    "plan_goal": "Het aantal winkeldiefstallen in het centrum daalt van 60 naar 40 in 2027.",
    "plan_methods": "KVO",
    "plan_monitoring": "aangiftecijfers per kwartaal",
}


def tracker(sender: str, text: str, intent: str, entities=None, slots=None) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker) -> tuple[str, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), events


def own_plan(store, sender: str = "owner"):
    slots = {**ANSWERS, "plan_state": {"methods": ["kvo"]}}
    run(ActionPlanSummary(), tracker(sender, "laat mijn plan zien", "show_plan", slots=slots))
    return store.get_plan(store.current_participation(sender).plan_id)


def joined(store, plan, sender: str = "partner", name: str = "Bram"):
    return store.join(plan.code, sender, name, "Politie Midden-Nederland", "politie")


def test_a_forged_plan_id_in_the_slot_makes_a_new_plan_not_an_edit(sharing_db):
    victim = own_plan(sharing_db, "owner")
    slots = {**ANSWERS, "plan_goal": "gekaapt", "plan_state": {"plan_id": victim.id}}
    run(ActionPlanSummary(), tracker("mallory", "laat mijn plan zien", "show_plan", slots=slots))
    assert sharing_db.get_plan(victim.id).answers["plan_goal"] == ANSWERS["plan_goal"]
    mine = sharing_db.current_participation("mallory")
    assert mine.plan_id != victim.id and mine.role == "owner"


def test_joining_needs_the_real_code_not_a_slot(sharing_db):
    plan = own_plan(sharing_db)
    forged = {"profile_purpose": "join", "join_code": "ABCD-2345", "profile_name": "M"}
    text, _ = run(ActionProfileSubmit(), tracker("mallory", "x", "inform", slots=forged))
    assert "ken ik niet" in text
    assert sharing_db.participant(plan.id, "mallory") is None
    text, events = run(
        ActionJoinPlan(), tracker("mallory", f"meedoen {plan.code.lower()}", "join_plan")
    )
    assert any(e["event"] == "followup" and e["name"] == "profile_form" for e in events)
    slots = {
        "profile_purpose": "join",
        "join_code": plan.code,
        "profile_name": "Mo",
        "profile_organisation": "Woonstichting De Key",
        "profile_party": "woningcorporaties",
    }
    text, _ = run(ActionProfileSubmit(), tracker("mallory", "x", "inform", slots=slots))
    assert "Je doet nu mee" in text and sharing_db.participant(plan.id, "mallory").active


def test_only_the_owner_removes_and_closes(sharing_db):
    plan = own_plan(sharing_db)
    partner = joined(sharing_db, plan)
    ref = [{"entity": "participant_ref", "value": str(partner.id)}]
    text, _ = run(ActionRemoveParticipant(), tracker("partner", "/x", "remove_participant", ref))
    assert "eigenaar" in text and sharing_db.participant(plan.id, "partner").active
    confirm = [{"entity": "confirm", "value": "ja"}]
    text, _ = run(ActionClosePlan(), tracker("partner", "/x", "close_plan", confirm))
    assert "eigenaar" in text and sharing_db.get_plan(plan.id).status == "open"

    text, _ = run(ActionRemoveParticipant(), tracker("owner", "haal Bram eruit", "x"))
    assert "Weet je zeker" in text and sharing_db.participant(plan.id, "partner").active
    sure = [*ref, {"entity": "confirm", "value": "ja"}]
    text, _ = run(ActionRemoveParticipant(), tracker("owner", "/x", "remove_participant", sure))
    assert "doet niet meer mee" in text and not sharing_db.participant(plan.id, "partner").active
    assert sharing_db.get_plan(plan.id).doc_token != plan.doc_token  # old links die

    text, _ = run(ActionClosePlan(), tracker("owner", "sluit het plan", "close_plan"))
    assert "Weet je het zeker" in text and sharing_db.get_plan(plan.id).status == "open"
    run(ActionClosePlan(), tracker("owner", "/x", "close_plan", confirm))
    assert sharing_db.get_plan(plan.id).status == "closed"
    text, _ = run(ActionStartContribution(), tracker("owner", "stap 1: nog meer diefstal", "x"))
    assert "gesloten" in text


def test_personal_data_is_refused_and_not_stored(sharing_db):
    plan = own_plan(sharing_db)
    joined(sharing_db, plan)
    message = "stap 1: de jongen woont op 06-12345678 en mailt via piet@example.nl"
    text, _ = run(ActionStartContribution(), tracker("partner", message, "add_contribution"))
    assert "sla ik niet op" in text
    assert sharing_db.contributions(plan.id) == []
    text, _ = run(
        ActionStartContribution(),
        tracker("partner", "stap 3: wij surveilleren al elke vrijdag in het centrum", "x"),
    )
    assert "Opgeslagen" in text
    assert [c.text for c in sharing_db.contributions(plan.id)] == [
        "wij surveilleren al elke vrijdag in het centrum"
    ]


def test_a_measurement_reports_progress_and_an_unclear_one_asks_the_format(sharing_db):
    plan = own_plan(sharing_db)
    joined(sharing_db, plan)
    text, _ = run(ActionRecordMeasurement(), tracker("partner", "cijfers komen later", "x"))
    assert "Bijvoorbeeld" in text and sharing_db.measurements(plan.id) == []
    text, _ = run(
        ActionRecordMeasurement(), tracker("partner", "winkeldiefstallen Q1 2027: 50", "x")
    )
    assert "50%" in text
    assert [m.value for m in sharing_db.measurements(plan.id)] == [50.0]


def test_free_text_in_a_shared_plan_is_offered_as_a_contribution(sharing_db):
    from actions.free_text import ActionFreeText

    text, events = run(ActionFreeText(), tracker("nobody", "wij zien veel diefstal", "inform"))
    assert text == "" and [e["name"] for e in events] == ["action_understand"]
    plan = own_plan(sharing_db)
    joined(sharing_db, plan)
    said = "wij zien op zaterdag veel diefstal bij de supermarkt"
    text, events = run(ActionFreeText(), tracker("partner", said, "inform"))
    assert "toevoegen" in text
    assert any(e.get("name") == "contribution_text" and e.get("value") == said for e in events)
    assert any(e["event"] == "followup" and e["name"] == "contribution_form" for e in events)
    _, events = run(ActionFreeText(), tracker("partner", "winkeldiefstallen Q2 2027: 45", "inform"))
    assert any(
        e["event"] == "followup" and e["name"] == "action_record_measurement" for e in events
    )


def test_the_contribution_form_checks_every_path_and_can_be_cancelled(sharing_db):
    from actions.validate_contribution_form import CANCELLED, ValidateContributionForm

    form = ValidateContributionForm()

    def validate(slot: str, value: str, intent: str = "inform", confidence: float = 0.5):
        t = tracker("partner", value, intent, slots={"requested_slot": slot})
        t.latest_message["intent"]["confidence"] = confidence
        dispatcher = CollectingDispatcher()
        method = getattr(form, f"validate_{slot}")
        result = asyncio.run(method(value, dispatcher, t, DOMAIN))
        return result, " ".join(m.get("text") or "" for m in dispatcher.messages)

    # "stap 1: <text>" at the step question: the text gets the personal-data check too
    result, said = validate("contribution_step", "stap 1: verdachte Kevin de Jong belt 0612345678")
    assert result == {"contribution_step": "1"} and "sla ik niet op" in said
    result, _ = validate("contribution_step", "stap 3: wij surveilleren al op vrijdag")
    assert result["contribution_text"] == "wij surveilleren al op vrijdag"
    # 'nee' ends the form without storing
    result, said = validate("contribution_step", "nee")
    assert result == {"contribution_step": CANCELLED, "contribution_text": CANCELLED}
    assert "niets" in said
    # a request typed at the text question is not taken as the text
    result, said = validate("contribution_text", "laat het plan zien", "show_plan", 0.98)
    assert result == {"contribution_text": None} and "stop" in said
    result, _ = validate("contribution_text", "de buurt is 's avonds onrustig bij het plein")
    assert result == {"contribution_text": "de buurt is 's avonds onrustig bij het plein"}


def test_delete_a_contribution_with_a_numbered_list_and_a_confirmation(sharing_db):
    from actions.delete_contribution import ActionDeleteContribution

    plan = own_plan(sharing_db)
    joined(sharing_db, plan)
    joined(sharing_db, plan, "third", "Truus")
    sharing_db.add_contribution(plan.id, "partner", 3, "bijdrage", "wij surveilleren al op vrijdag")
    theirs = sharing_db.add_contribution(plan.id, "third", 1, "bijdrage", "overlast bij de flats")

    text, _ = run(ActionDeleteContribution(), tracker("partner", "verwijder mijn bijdrage", "x"))
    assert "1. stap 3" in text and "flats" not in text  # a partner sees only their own
    text, _ = run(ActionDeleteContribution(), tracker("partner", "verwijder nummer 1", "x"))
    assert "Weet je zeker" in text and len(sharing_db.contributions(plan.id)) == 2
    ref = [{"entity": "contribution_ref", "value": str(theirs.id)}]
    sure = [*ref, {"entity": "confirm", "value": "ja"}]
    text, _ = run(ActionDeleteContribution(), tracker("partner", "/x", "delete_contribution", sure))
    assert "Welke bijdrage van jou" in text  # not theirs to delete: the list again
    assert len(sharing_db.contributions(plan.id)) == 2

    text, _ = run(ActionDeleteContribution(), tracker("owner", "/x", "delete_contribution", sure))
    assert "verwijderd" in text
    assert [c.text for c in sharing_db.contributions(plan.id)] == ["wij surveilleren al op vrijdag"]


def test_only_the_owner_sees_and_renews_the_code(sharing_db):
    from actions.new_join_code import ActionNewJoinCode
    from actions.share_plan import ActionSharePlan
    from actions.show_plan import ActionShowPlan

    plan = own_plan(sharing_db)
    joined(sharing_db, plan)
    text, _ = run(ActionStartContribution(), tracker("partner", "stap 3: wij lopen al rondes", "x"))
    assert "Opgeslagen" in text and plan.code not in text
    text, _ = run(ActionShowPlan(), tracker("partner", "laat het plan zien", "show_plan"))
    assert plan.code not in text
    text, _ = run(ActionShowPlan(), tracker("owner", "laat het plan zien", "show_plan"))
    assert plan.code in text
    text, _ = run(ActionSharePlan(), tracker("partner", "deel het plan", "share_plan"))
    assert "eigenaar" in text and plan.code not in text
    text, _ = run(ActionNewJoinCode(), tracker("partner", "nieuwe deelcode", "new_join_code"))
    assert "eigenaar" in text and sharing_db.get_plan(plan.id).code == plan.code
    text, _ = run(ActionNewJoinCode(), tracker("owner", "nieuwe deelcode", "new_join_code"))
    renewed = sharing_db.get_plan(plan.id).code
    assert renewed != plan.code and renewed in text and "oude code werkt niet meer" in text
