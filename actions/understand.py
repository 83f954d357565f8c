"""action_understand: a message the classifier is not sure about goes to the search engine.

Runs on `nlu_fallback` (low confidence, or a context intent without its signal, see
rasa_ext/intent_signals.py), on `out_of_scope`, and after actions that found no use for the
text. knowledge.understanding decides: advice (knowledge.advice, the same answer as
action_recommend_methods), the out-of-scope answer, or "begreep ik niet" with example questions
(utter_default).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, lexicon, searcher, send, user_text
from knowledge.advice import advise
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
            advice = advise(catalogue(), searcher(), text) if text else None
        except SearchError:
            advice = None
        vocabulary = {match.group for match in lexicon().find(text)} if text else set()
        # The classifier's own top intent (nlu_fallback when it was not sure).
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        decision = route(
            text, bool(advice and advice.in_scope), vocabulary, intent == "out_of_scope"
        )
        if decision is Route.ADVICE and advice is not None:
            send(dispatcher, advice.reply)
            return [SlotSet("method", advice.method_ids[0])] if advice.method_ids else []
        if decision is Route.OUT_OF_SCOPE:
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(response="utter_default")
        return []
