"""action_method_partners: parties (table 3.6) and municipal role (table 3.5) of a method."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, methods_in_message, send
from knowledge.answers import partners, unknown_method


class ActionMethodPartners(Action):
    def name(self) -> str:
        return "action_method_partners"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        named = methods_in_message(tracker)
        method_id = named[0] if named else tracker.get_slot("method")
        if method_id not in catalogue().methods:
            send(dispatcher, unknown_method(catalogue()))
            return []
        send(dispatcher, partners(catalogue(), catalogue().get(method_id)))
        return [SlotSet("method", method_id)]
