"""Refused texts are not kept: the one rule for removing them from stored conversation events.

When the personal-data check refuses a text, the refusing action sends its warning with the
marker :data:`REDACT_KEY` (see ``actions.common.refuse_personal_data``). Rasa stores that as
metadata of the bot message. Before the tracker store writes a turn
(``rasa_ext.tracker_store``), :func:`redact_events` replaces the user's text in the message
event before the marker, and every slot value of that turn that holds (part of) that text, by
:data:`REDACTED`. Intents and the order of events stay, so the conversation continues.

Standard library only: the Rasa environment loads this file by path (it cannot import the
``knowledge`` package), and the action server imports it as ``knowledge.redaction``.
"""

from __future__ import annotations

import copy
from typing import Any

REDACT_KEY = "methodewijzer_redact"
REDACTED = "[verwijderd]"


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_marker(event: dict[str, Any]) -> bool:
    """A bot message sent by a refusal (its metadata carries the marker)."""
    return event.get("event") == "bot" and bool((event.get("metadata") or {}).get(REDACT_KEY))


def redact_user_event(event: dict[str, Any]) -> str:
    """Blank the text (and entity values) of one stored user event in place; the old text."""
    text = str(event.get("text") or "")
    event["text"] = REDACTED
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data["text"] = REDACTED
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict) and "value" in entity:
                entity["value"] = REDACTED
    return text


def _holds(value: Any, text: str) -> bool:
    """True when a slot value is (part of) the refused text."""
    if not isinstance(value, str) or not value.strip() or not text:
        return False
    return _words(value) in _words(text)


def redact_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` (dicts as Rasa stores them) with every refused turn redacted; a new list.

    A turn is the user event and the events after it up to the next user event. A marker in a
    turn redacts that turn's user text and its slot values that hold the text.
    """
    result = copy.deepcopy(events)
    user_at: int | None = None
    turns: list[int] = []  # indexes of user events whose turn holds a marker
    for i, event in enumerate(result):
        if event.get("event") == "user":
            user_at = i
        elif is_marker(event) and user_at is not None:
            turns.append(user_at)
    for start in dict.fromkeys(turns):
        if result[start].get("text") == REDACTED:
            continue
        end = next(
            (j for j in range(start + 1, len(result)) if result[j].get("event") == "user"),
            len(result),
        )
        text = redact_user_event(result[start])
        for event in result[start + 1 : end]:
            if event.get("event") == "slot" and _holds(event.get("value"), text):
                event["value"] = REDACTED
    return result


def marker_without_user(events: list[dict[str, Any]]) -> bool:
    """A marker whose user event is not in ``events`` (it was stored in an earlier write)."""
    for event in events:
        if event.get("event") == "user":
            return False
        if is_marker(event):
            return True
    return False
