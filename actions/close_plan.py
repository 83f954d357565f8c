"""action_close_plan: the owner closes the shared plan (after a confirmation button)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import (
    SharedPlanAction,
    confirmed,
    db,
    error_text,
    render,
    send_document,
    store,
)
from knowledge.sharing import SharingError


class ActionClosePlan(SharedPlanAction):
    action_name = "action_close_plan"
    owner_only = (
        "Alleen de eigenaar kan het plan sluiten. Wil je zelf stoppen? Zeg 'ik stap uit het plan'."
    )

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        if plan.status == "closed":
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
        try:
            await db(store().close_plan, plan.id, tracker.sender_id)
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        rendered, _path, _chart = await db(render, plan.id)
        send_document(dispatcher, rendered.id, "Het plan is gesloten. De eindversie (Word):")
        return []
