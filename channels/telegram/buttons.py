"""Rasa buttons -> inline keyboards, with short callback keys for long payloads.

Telegram allows at most 64 bytes of callback_data, while Rasa payloads such as
'/compare_methods{"method": ["persoonsgerichte_aanpak", "polarisatie_radicalisering"]}' are
longer. So each button gets a short random key and the payload stays in the chat's own
chat_data: a key only works in the chat that received it, and forged callback data can never
reach Rasa. Keys live in memory, so after a restart old buttons are 'expired'.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, MutableMapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

PREFIX = "b:"
MAX_KEYS_PER_CHAT = 200  # the oldest buttons of a long conversation expire first
_STORE = "button_payloads"


def keyboard(
    chat_data: MutableMapping[Any, Any], buttons: Iterable[dict[str, Any]]
) -> InlineKeyboardMarkup | None:
    """One button per row (titles are short phrases, phones are narrow)."""
    rows = []
    for button in buttons:
        title, payload = button.get("title"), button.get("payload")
        if not title or not payload:
            continue
        rows.append([InlineKeyboardButton(str(title), callback_data=remember(chat_data, payload))])
    return InlineKeyboardMarkup(rows) if rows else None


def remember(chat_data: MutableMapping[Any, Any], payload: str) -> str:
    """Store `payload` for this chat and return its callback_data (10 ASCII bytes)."""
    store: dict[str, str] = chat_data.setdefault(_STORE, {})
    key = secrets.token_urlsafe(6)
    while key in store:
        key = secrets.token_urlsafe(6)
    store[key] = str(payload)
    while len(store) > MAX_KEYS_PER_CHAT:
        del store[next(iter(store))]
    return PREFIX + key


def lookup(chat_data: MutableMapping[Any, Any], callback_data: str | None) -> str | None:
    """The payload behind a pressed button, or None if unknown, expired or forged."""
    if not callback_data or not callback_data.startswith(PREFIX):
        return None
    return chat_data.get(_STORE, {}).get(callback_data.removeprefix(PREFIX))
