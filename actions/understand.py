"""action_understand: a message the classifier is not sure about goes to the search engine.

Runs on `nlu_fallback` (low confidence, or a context intent without its signal, see
rasa_ext/intent_signals.py) and on `out_of_scope`. knowledge.understanding decides: advice
(the same reply as action_recommend_methods), the out-of-scope answer, or "begreep ik niet"
with example questions (utter_default).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, searcher, send, user_text
from knowledge.answers import recommendation
from knowledge.search import SearchError
from knowledge.understanding import Route, is_language, route

is_language("laden")  # load the Dutch word list when the action server starts


class ActionUnderstand(Action):
    def name(self) -> str:
        return "action_understand"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = user_text(tracker)
        try:
            result = searcher().search(text, top=3) if text else None
        except SearchError:
            result = None
        # The classifier's own top intent (nlu_fallback when it was not sure).
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        said_out_of_scope = intent == "out_of_scope"
        decision = route(text, result, said_out_of_scope)
        if decision is Route.ADVICE and result is not None:
            send(dispatcher, recommendation(catalogue(), result))
            return [SlotSet("method", result.hits[0].id)]
        if decision is Route.OUT_OF_SCOPE:
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
