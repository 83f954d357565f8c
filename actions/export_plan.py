"""action_export_plan: the current shared plan as a Word document."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.plan_summary import ActionPlanSummary
from actions.sharing_common import db, render, send_document, store


class ActionExportPlan(Action):
    def name(self) -> str:
        return "action_export_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        participant = await db(store().current_participation, tracker.sender_id)
        if participant is None:
            return await ActionPlanSummary().run(dispatcher, tracker, domain)
        plan, _path, _chart = await db(render, participant.plan_id)
        send_document(dispatcher, plan.id, "Hier is het plan als Word-bestand:")
        return []
