"""action_leave_plan: a partner leaves the shared plan; what they added stays in it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import SharedPlanAction, db, error_text, store
from knowledge.sharing import SharingError


class ActionLeavePlan(SharedPlanAction):
    action_name = "action_leave_plan"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        try:
            await db(store().leave, plan.id, tracker.sender_id)
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        dispatcher.utter_message(
            text="Je doet niet meer mee aan dit plan. Wat je hebt toegevoegd, blijft in het plan staan."
        )
        return []
