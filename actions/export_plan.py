"""action_export_plan: the current shared plan as a Word document, without the chat summary."""

from __future__ import annotations

from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import send_document
from actions.show_plan import ActionShowPlan
from knowledge.plan.model import Plan


class ActionExportPlan(ActionShowPlan):
    def name(self) -> str:
        return "action_export_plan"

    def send(self, dispatcher: CollectingDispatcher, plan: Plan, chart: Path | None) -> None:
        send_document(dispatcher, plan.id, "Hier is het plan als Word-bestand:")
