"""action_compare_methods: two methods side by side, facet by facet."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, methods_in_message, send
from knowledge.answers import comparison


class ActionCompareMethods(Action):
    def name(self) -> str:
        return "action_compare_methods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        named = methods_in_message(tracker)
        previous = tracker.get_slot("method")
        if len(named) == 1 and previous in catalogue().methods and previous != named[0]:
            named = [previous, named[0]]
        if len(named) < 2:
            dispatcher.utter_message(
                text="Welke twee methoden wil je vergelijken? Bijvoorbeeld: 'verschil tussen KVO en KVU'."
            )
            return []
        send(dispatcher, comparison(catalogue(), named[0], named[1]))
        return []
