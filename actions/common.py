"""Shared helpers for the actions: the catalogue and searcher (loaded once) and entities."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.answers import Reply, unknown_method
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.nl.lexicon import Lexicon, lexicon_for
from knowledge.schema import Method
from knowledge.search import Searcher, get_searcher

PUBLIC_URL_SETTING = "METHODEWIJZER_PUBLIC_URL"


def catalogue() -> Catalogue:
    return load_catalogue()


def searcher() -> Searcher:
    return get_searcher()


def lexicon() -> Lexicon:
    return lexicon_for(catalogue())


def public_url() -> str:
    port = os.environ.get("WEB_PORT", "8080")
    return os.environ.get(PUBLIC_URL_SETTING, f"http://localhost:{port}").rstrip("/")


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)


def user_text(tracker: Tracker) -> str:
    """The user's words; empty for a button payload such as '/explain_method{...}'."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text


def entity_values(tracker: Tracker, entity: str) -> list[Any]:
    values = []
    for item in tracker.latest_message.get("entities", []) or []:
        if item.get("entity") == entity and item.get("value") is not None:
            value = item["value"]
            values.extend(value if isinstance(value, list) else [value])
    return values


def keys_in_message(tracker: Tracker, entity: str, group: str) -> list[str]:
    """Catalogue keys named in the latest message: from entities, then from the text itself."""
    cat = catalogue()
    valid = set(cat.methods) if group == "methods" else set(getattr(cat.vocabulary, group))
    keys: list[str] = []
    for value in entity_values(tracker, entity):
        text = str(value)
        if text in valid:
            keys.append(text)
            continue
        keys.extend(m.key for m in lexicon().find(text) if m.group == group)
    keys.extend(m.key for m in lexicon().find(user_text(tracker)) if m.group == group)
    return [k for k in dict.fromkeys(keys) if k in valid]


def methods_in_message(tracker: Tracker) -> list[str]:
    return keys_in_message(tracker, "method", "methods")


class MethodAnswerAction(Action, ABC):
    """Answers about one method: the one named now, else the one talked about before.

    Never guesses: without a catalogue method it asks which method is meant.
    """

    @abstractmethod
    def answer(self, method: Method) -> Reply:
        """The reply about ``method``."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        named = methods_in_message(tracker)
        method_id = named[0] if named else tracker.get_slot("method")
        if method_id not in catalogue().methods:
            send(dispatcher, unknown_method(catalogue()))
            return []
        send(dispatcher, self.answer(catalogue().get(method_id)))
        return [SlotSet("method", method_id)]
