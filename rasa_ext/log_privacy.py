"""Rasa's own structured logs keep no user texts.

Rasa 3.6 logs some events with the user's words, e.g. ``message.parsing.failed`` with
``user_text`` for a malformed '/intent{...}' message, and leaves removing them to a Rasa Pro
plugin. :func:`install` puts a first processor into structlog's shared processor list (in
place, so loggers already in use get it too) that replaces such values by "[verwijderd]".
rasa_ext/tracker_store.py (always loaded through bot/endpoints.yml) installs it.
"""

from __future__ import annotations

from typing import Any

import structlog

REDACTED = "[verwijderd]"
# The keys Rasa's own _anonymizer (rasa/utils/log_utils.py) treats as personal data.
TEXT_KEYS = {
    "text",
    "response_text",
    "user_text",
    "slot_values",
    "parse_data_text",
    "parse_data_entities",
    "prediction_events",
    "tracker_latest_message",
    "prefilled_slots",
    "message",
    "response",
    "slot_candidates",
    "rasa_event",
    "rasa_events",
    "tracker_states",
    "current_states",
    "old_states",
    "successes",
    "current_entity",
    "next_entity",
    "states",
    "entity",
    "token_text",
    "user_message",
    "json_message",
}


def drop_texts(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in TEXT_KEYS & event_dict.keys():
        event_dict[key] = REDACTED
    return event_dict


def install() -> None:
    processors = structlog.get_config()["processors"]
    if drop_texts not in processors:
        processors.insert(0, drop_texts)
