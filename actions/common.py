"""Shared helpers for the actions: the catalogue and searcher (loaded once), entities, and the
bridge to the shared-plan service (``SharedPlanAction``, documents and charts in the chat)."""

from __future__ import annotations

import asyncio
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.refusal import refuse_text
from knowledge.answers import Reply, unknown_method
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.nl.lexicon import Lexicon, lexicon_for
from knowledge.payloads import CHART, PLAN, file_payload
from knowledge.schema import Method
from knowledge.search import Searcher, get_searcher
from knowledge.sharing import (
    ContributionInfo,
    NoPlan,
    PersonalDataRefused,
    PlanInfo,
    SharingError,
)
from knowledge.sharing.projects import plan_line
from knowledge.sharing.service import SharingService, sharing_service
from knowledge.sharing.view import saved_text
from knowledge.understanding import is_question

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

    Never guesses: without a catalogue method it asks which method is meant, or, when the
    text is a topic rather than a question, lets the search engine answer (action_understand).
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
            text = user_text(tracker)
            # A topic ("radicalisering"), or a question while no method was talked about yet
            # ("hoe krijg ik alle partners op één lijn?"): the search engine answers, and asks
            # which method is meant when it finds none (action_understand).
            if text and (not is_question(text) or method_id is None):
                return [FollowupAction("action_understand")]
            send(dispatcher, unknown_method(catalogue()))
            return []
        send(dispatcher, self.answer(catalogue().get(method_id)))
        return [SlotSet("method", method_id)]


# --- shared plans: the service does the work, these helpers only talk ------------------------

T = TypeVar("T")


def sharing() -> SharingService:
    """The shared-plan service of this action server (one per process)."""
    return sharing_service()


async def db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a service call in a worker thread so a waiting writer never blocks the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def confirmed(tracker: Tracker) -> bool:
    """The confirmation button ('{"confirm": "ja"}') of a step that cannot be undone."""
    return "ja" in [str(v).lower() for v in entity_values(tracker, "confirm")]


def send_document(dispatcher: CollectingDispatcher, doc_token: str, text: str) -> None:
    payload = file_payload(PLAN, doc_token, public_url())
    dispatcher.utter_message(text=f"{text} {payload.url}", custom=payload.to_custom())


def send_chart(dispatcher: CollectingDispatcher, doc_token: str) -> None:
    payload = file_payload(CHART, doc_token, public_url())
    dispatcher.utter_message(
        text=f"Grafiek van de metingen: {payload.url}", custom=payload.to_custom()
    )


def send_saved_contribution(dispatcher: CollectingDispatcher, saved: ContributionInfo) -> None:
    dispatcher.utter_message(
        text=saved_text(saved),
        buttons=[
            {"title": "Nog iets toevoegen", "payload": "/add_contribution"},
            {"title": "Laat het plan zien", "payload": "/show_plan"},
        ],
    )


def refuse(dispatcher: CollectingDispatcher, tracker: Tracker, error: SharingError) -> None:
    """Tell the user why the service refused (text with personal data is marked for redaction)."""
    if isinstance(error, NoPlan):
        buttons = [{"title": "Plan maken", "payload": "/start_plan"}]
        dispatcher.utter_message(text=error.text, buttons=buttons)
    elif isinstance(error, PersonalDataRefused):
        refuse_text(dispatcher, user_text(tracker) or error.text, error.text)
    else:
        dispatcher.utter_message(text=error.text)


def name_plan(dispatcher: CollectingDispatcher, start: int, plan: PlanInfo | None) -> None:
    """Begin the first reply since message ``start`` with the line that names the plan."""
    line = plan_line(plan) if plan else ""
    for message in dispatcher.messages[start:] if line else []:
        if message.get("text"):
            message["text"] = f"{line}\n{message['text']}"
            return


class SharedPlanAction(Action, ABC):
    """An action on the sender's shared plan: the service decides access, this class replies.

    The service raises a ``SharingError`` with the Dutch reason for every refusal (no plan, not
    the owner, closed, personal data ...); it is sent to the user here, once for all actions.
    """

    action_name: str
    #: Which plan the first reply names ("Plan: Stationsgebied Oost"): the current plan before
    #: the command ("before": it may leave it), the one current after it ("after": joining or
    #: switching makes a plan current; named only when that worked), or none ("none").
    names_plan: Literal["before", "after", "none"] = "before"

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        start = len(dispatcher.messages)
        sender = tracker.sender_id
        named = await db(sharing().current, sender) if self.names_plan == "before" else None
        try:
            events = await self.act(dispatcher, tracker)
            if self.names_plan == "after":
                named = await db(sharing().current, sender)
        except SharingError as error:
            refuse(dispatcher, tracker, error)
            events = self.after_refusal()
        name_plan(dispatcher, start, named.plan if named else None)
        return events

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """What the action does; the sender is ``tracker.sender_id``."""

    def after_refusal(self) -> list[dict[str, Any]]:
        """Events after a refusal (e.g. resetting a form's slots)."""
        return []
