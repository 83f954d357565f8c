"""action_show_plan: the current shared plan for every participant (summary + DOCX + plot).

Without a shared plan it shows the plan being drafted in this conversation.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_chart, send_document, sharing


class ActionShowPlan(SharedPlanAction):
    action_name = "action_show_plan"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        if await db(sharing().current, tracker.sender_id) is None:
            return [FollowupAction("action_plan_summary")]
        view = await db(sharing().view, tracker.sender_id)
        dispatcher.utter_message(text=view.summary)
        send_document(
            dispatcher, view.doc_token, "Het volledige plan (Word), voor iedereen hetzelfde:"
        )
        if view.chart is not None:
            send_chart(dispatcher, view.doc_token)
        return []
