"""action_explain_method: goal, approach, steps, partners and role of one method."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, methods_in_message, send
from knowledge.answers import explanation, unknown_method


class ActionExplainMethod(Action):
    def name(self) -> str:
        return "action_explain_method"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        named = methods_in_message(tracker)
        method_id = named[0] if named else tracker.get_slot("method")
        if method_id not in catalogue().methods:
            send(dispatcher, unknown_method(catalogue()))
            return []
        send(dispatcher, explanation(catalogue(), catalogue().get(method_id)))
        return [SlotSet("method", method_id)]
