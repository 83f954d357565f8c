"""action_show_plan: the current shared plan for every participant (summary + DOCX + plot).

Without a shared plan it shows the plan being drafted in this conversation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.plan_summary import ActionPlanSummary
from actions.sharing_common import db, render, send_chart, send_document, store
from knowledge.plan.model import Plan
from knowledge.sharing.view import summary_text


class ActionShowPlan(Action):
    def name(self) -> str:
        return "action_show_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        participant = await db(store().current_participation, tracker.sender_id)
        if participant is None:
            return await ActionPlanSummary().run(dispatcher, tracker, domain)
        plan, _path, chart = await db(render, participant.plan_id)
        self.send(dispatcher, plan, chart)
        return []

    def send(self, dispatcher: CollectingDispatcher, plan: Plan, chart: Path | None) -> None:
        dispatcher.utter_message(text=summary_text(plan))
        send_document(dispatcher, plan.id, "Het volledige plan (Word), voor iedereen hetzelfde:")
        if chart is not None:
            send_chart(dispatcher, plan.id)
