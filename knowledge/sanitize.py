"""Text cleaning: the one place that decides which characters user text may carry.

Every text that enters (web server, Telegram bridge) and every text that is written (plan store,
Word file, chart) passes through :func:`clean_text`. Control characters other than newline and
tab break the Word writer (XML 1.0 forbids them) and mean nothing to a reader, so they are
removed; carriage returns become newlines. Format characters that can hide or reorder text
(bidirectional overrides, zero-width spaces) are removed too. Letters, digits, punctuation
and emoji (including the zero-width joiner inside emoji sequences) are kept as they are.
"""

from __future__ import annotations

import unicodedata
from dataclasses import fields, is_dataclass, replace
from typing import TypeVar

T = TypeVar("T")

KEEP = {"\n", "\t", "\u200d"}  # newline, tab, zero-width joiner (emoji sequences)
# Unicode category Cc (controls) and Cf (format: bidi overrides, zero-width spaces, BOM ...),
# plus lone surrogates (Cs) and noncharacters that no writer accepts.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs"}


def _allowed(ch: str) -> bool:
    if ch in KEEP:
        return True
    if unicodedata.category(ch) in _DROP_CATEGORIES:
        return False
    code = ord(ch)
    return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)


def clean_text(text: str) -> str:
    """``text`` without control and hidden format characters; line breaks normalised to \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if _allowed(ch))


def has_control_characters(text: str) -> bool:
    """True when :func:`clean_text` would change more than line endings."""
    return clean_text(text) != text.replace("\r\n", "\n").replace("\r", "\n")


def clean_data(value: T) -> T:
    """A copy of ``value`` with :func:`clean_text` applied to every string in it.

    Walks dataclasses, dicts, lists and tuples: writers (Word file, chart) call it on what they
    are given, so text stored before cleaning existed still renders.
    """
    if isinstance(value, str):
        return clean_text(value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: clean_data(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [clean_data(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(clean_data(item) for item in value)  # type: ignore[return-value]
    return value
