"""action_understand: a message the classifier is not sure about goes to the search engine.

Runs on `nlu_fallback` (low confidence, or an intent without its signal, see
rasa_ext/intent_signals.py), on `out_of_scope`, and after actions that found no use for the
text. knowledge.understanding decides: advice (knowledge.advice, the same answer as
action_recommend_methods, read together with the user's question before when the assistant
just asked a clarifying question), the answer about the assistant or help when the classifier's
best guess was one of those, the out-of-scope answer, or "begreep ik niet" with example
questions (utter_default). A question about a method that names none and in which search finds
no problem gets "welke methode bedoel je?" when it says "methode" or points at one, and help for
"hoe werkt dit?" (actions.common.MethodAnswerAction sends these here).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, lexicon, searcher, send, user_text
from knowledge.advice import advise
from knowledge.answers import unknown_method
from knowledge.search import SearchError
from knowledge.understanding import (
    Route,
    answered_question,
    best_guess,
    for_method_question,
    is_language,
    route,
)

is_language("laden")  # load the Dutch word list when the action server starts

RESPONSES = {
    Route.ABOUT: "utter_about",
    Route.HELP: "utter_help",
    Route.OUT_OF_SCOPE: "utter_out_of_scope",
    Route.NOT_UNDERSTOOD: "utter_default",
}


class ActionUnderstand(Action):
    def name(self) -> str:
        return "action_understand"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = user_text(tracker)
        previous = answered_question(tracker.events)
        try:
            advice = advise(catalogue(), searcher(), text, previous=previous) if text else None
        except SearchError:
            advice = None
        vocabulary = {match.group for match in lexicon().find(text)} if text else set()
        # The classifier's own top intent (nlu_fallback when it was not sure) and best guess.
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        guess, confidence = best_guess(tracker.latest_message.get("intent_ranking") or [])
        decision = route(
            text,
            bool(advice and advice.in_scope),
            vocabulary,
            intent == "out_of_scope",
            guess,
            confidence,
        )
        if decision is Route.ADVICE and advice is not None:
            send(dispatcher, advice.reply)
            return [SlotSet("method", advice.method_ids[0])] if advice.method_ids else []
        decision = for_method_question(text, intent, decision)
        if decision is Route.WHICH_METHOD:
            send(dispatcher, unknown_method(catalogue()))  # a question about a method: which one?
            return []
        dispatcher.utter_message(response=RESPONSES[decision])
        return []
