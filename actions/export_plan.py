"""action_export_plan: the current shared plan as a Word document, without the chat summary."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_document, sharing


class ActionExportPlan(SharedPlanAction):
    action_name = "action_export_plan"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if await db(sharing().current, tracker.sender_id) is None:
            return [FollowupAction("action_plan_summary")]
        view = await db(sharing().view, tracker.sender_id)
        send_document(dispatcher, view.doc_token, "Hier is het plan als Word-bestand:")
        return []
