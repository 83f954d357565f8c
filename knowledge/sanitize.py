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
