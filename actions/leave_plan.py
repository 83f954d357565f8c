"""action_leave_plan: a partner leaves the shared plan; what they added stays in it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing


class ActionLeavePlan(SharedPlanAction):
    action_name = "action_leave_plan"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        await db(sharing().leave, tracker.sender_id)
        dispatcher.utter_message(
            text="Je doet niet meer mee aan dit plan. Wat je hebt toegevoegd, blijft in het plan staan."
        )
        return []
