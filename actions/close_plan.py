"""action_close_plan: the owner closes the shared plan (after a confirmation button)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, confirmed, db, send_document, sharing
from knowledge.sharing.service import ONLY_OWNER_CLOSES


class ActionClosePlan(SharedPlanAction):
    action_name = "action_close_plan"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        me = await db(sharing().ownership, tracker.sender_id, ONLY_OWNER_CLOSES)
        if me.plan.status == "closed":
            dispatcher.utter_message(text="Dit plan is al gesloten.")
            return []
        if not confirmed(tracker):
            dispatcher.utter_message(
                text="Weet je het zeker? Na het sluiten kan niemand het plan meer aanvullen. "
                "Bekijken en downloaden blijft mogelijk.",
                buttons=[
                    {"title": "Ja, sluit het plan", "payload": '/close_plan{"confirm": "ja"}'},
                    {"title": "Nee, niet sluiten", "payload": "/deny"},
                ],
            )
            return []
        rendered = await db(sharing().close, tracker.sender_id)
        send_document(dispatcher, rendered.doc_token, "Het plan is gesloten. De eindversie (Word):")
        return []
