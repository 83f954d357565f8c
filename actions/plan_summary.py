"""action_plan_summary: save the plan van aanpak in the plan store and give the DOCX link.

The plan belongs to the sender who drafts it. A plan id in the slot is only reused when the
store says this sender owns that plan (a slot can be set by typing '/intent{...}').
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, db, name_plan, refuse, send_document, sharing
from knowledge.plan.build import build_plan
from knowledge.plan.text import to_markdown
from knowledge.planning import PlanState
from knowledge.sharing import SharingError
from knowledge.sharing.projects_view import name_buttons, named_text
from knowledge.steps import SLOTS


class ActionPlanSummary(Action):
    def name(self) -> str:
        return "action_plan_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answers = {slot: tracker.get_slot(slot) for slot in SLOTS}
        if not any(answers.values()):
            dispatcher.utter_message(
                text="Je hebt nog geen plan. Zeg 'ik wil een plan maken' om te beginnen, of doe "
                "mee met een plan van een ander met de deelcode die je kreeg.",
                buttons=[{"title": "Plan maken", "payload": "/start_plan"}],
            )
            return []
        state = PlanState.from_dict(tracker.get_slot("plan_state"))
        drafted_before, start = state.plan_id, len(dispatcher.messages)
        try:  # the service saves it as this sender's own plan (a new one, or theirs updated)
            info = await db(sharing().save_owned, tracker.sender_id, answers, state)
        except SharingError as error:  # too many plans, personal data
            refuse(dispatcher, tracker, error)
            return []
        state.plan_id = info.id  # chosen by the store, never taken from user input
        await db(sharing().render_plan, info.id)
        complete = all(answers.values())
        intro = "Je plan van aanpak is klaar." if complete else "Dit is je plan tot nu toe."
        summary = to_markdown(build_plan(catalogue(), answers, state))
        dispatcher.utter_message(text=f"{intro}\n\n{summary}")
        send_document(dispatcher, info.doc_token, "Download het volledige plan (Word):")
        name_plan(dispatcher, start, info)
        if info.id != drafted_before:  # a new plan: say the name it got, and how to change it
            dispatcher.utter_message(text=named_text(info.name), buttons=name_buttons())
        if complete:
            dispatcher.utter_message(
                text="Maak stap 5 concreet: kies maatregelen en spreek af wie wat doet. Wil je "
                "samen met partners aan dit plan werken? Deel het met een deelcode.",
                buttons=[
                    {"title": "Maatregelen kiezen", "payload": "/add_measure"},
                    {"title": "Plan delen", "payload": "/share_plan"},
                ],
            )
        return [SlotSet("plan_state", state.to_dict())]
