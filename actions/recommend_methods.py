"""action_recommend_methods: the best catalogue methods for a described problem."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, keys_in_message, searcher, send, user_text
from knowledge.advice import advise
from knowledge.understanding import answered_question

# Load the model and index when the action server starts, not on the first question.
searcher()


def query_from(tracker: Tracker) -> str:
    """The user's text, or for a button payload the labels of its entities."""
    text = user_text(tracker)
    if text:
        return text
    cat = catalogue()
    labels = []
    for entity, group in (
        ("problem", "problems"),
        ("setting", "settings"),
        ("target_group", "target_groups"),
    ):
        labels += [
            getattr(cat.vocabulary, group)[k].label for k in keys_in_message(tracker, entity, group)
        ]
    return " ".join(labels)


class ActionRecommendMethods(Action):
    def name(self) -> str:
        return "action_recommend_methods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        query = query_from(tracker)
        if not query.strip():
            dispatcher.utter_message(
                text="Waar gaat het om? Beschrijf het probleem in een paar woorden."
            )
            return []
        advice = advise(catalogue(), searcher(), query, previous=answered_question(tracker.events))
        send(dispatcher, advice.reply)
        return [SlotSet("method", advice.method_ids[0])] if advice.method_ids else []
