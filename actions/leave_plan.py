"""action_leave_plan: a partner leaves the shared plan; what they added stays in it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import current, db, error_text, store
from knowledge.sharing import SharingError


class ActionLeavePlan(Action):
    def name(self) -> str:
        return "action_leave_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        found = await current(tracker, dispatcher)
        if found is None:
            return []
        _participant, plan = found
        try:
            await db(store().leave, plan.id, tracker.sender_id)
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        dispatcher.utter_message(
            text="Je doet niet meer mee aan dit plan. Wat je hebt toegevoegd, blijft in het plan staan."
        )
        return []
