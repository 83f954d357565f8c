"""action_close_plan: the owner closes the shared plan (after a confirmation button)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import entity_values
from actions.sharing_common import current, db, error_text, render, send_document, store
from knowledge.sharing import SharingError


class ActionClosePlan(Action):
    def name(self) -> str:
        return "action_close_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        found = await current(tracker, dispatcher)
        if found is None:
            return []
        participant, plan = found
        if participant.role != "owner":
            dispatcher.utter_message(
                text="Alleen de eigenaar kan het plan sluiten. Wil je zelf stoppen? Zeg 'ik stap uit het plan'."
            )
            return []
        if plan.status == "closed":
            dispatcher.utter_message(text="Dit plan is al gesloten.")
            return []
        if "ja" not in [str(v).lower() for v in entity_values(tracker, "confirm")]:
            dispatcher.utter_message(
                text="Weet je het zeker? Na het sluiten kan niemand het plan meer aanvullen. "
                "Bekijken en downloaden blijft mogelijk.",
                buttons=[
                    {"title": "Ja, sluit het plan", "payload": '/close_plan{"confirm": "ja"}'},
                    {"title": "Nee, niet sluiten", "payload": "/deny"},
                ],
            )
            return []
        try:
            await db(store().close_plan, plan.id, tracker.sender_id)
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        rendered, _path, _chart = await db(render, plan.id)
        send_document(dispatcher, rendered.id, "Het plan is gesloten. De eindversie (Word):")
        return []
