"""Rasa text -> Telegram messages: **bold** as entities, long texts split at 4096 characters.

Texts go out as plain text with explicit MessageEntity objects instead of parse_mode: nothing
in a user's or the catalogue's text is ever interpreted as markup (no Markdown injection, no
"can't parse entities" errors), and a split can never break an escape sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import MessageEntity
from telegram.constants import MessageLimit

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")  # one line, like knowledge.plan.text.to_markdown
_SPACE = " \t\n"


@dataclass(frozen=True)
class Part:
    """One Telegram message: plain text plus the entities that format it."""

    text: str
    entities: tuple[MessageEntity, ...] = ()


def render(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[Part]:
    """Split `text` into messages of at most `limit` UTF-16 units (Telegram's unit).

    Breaks at a line end if one lies in the second half of the window, else at a space, else
    mid-word (only for a word longer than the limit). Bold spans cut by a split stay bold in
    both parts.
    """
    plain, spans = _strip_bold(text)
    parts = []
    for start, end in _chunks(plain, limit):
        entities = []
        for span_start, span_end in spans:
            lo, hi = max(span_start, start), min(span_end, end)
            if lo < hi:
                entities.append(
                    MessageEntity(
                        MessageEntity.BOLD,
                        offset=utf16_len(plain[start:lo]),
                        length=utf16_len(plain[lo:hi]),
                    )
                )
        parts.append(Part(plain[start:end], tuple(entities)))
    return parts


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP (emoji) count twice."""
    return len(text.encode("utf-16-le")) // 2


def _strip_bold(text: str) -> tuple[str, list[tuple[int, int]]]:
    plain: list[str] = []
    spans = []
    length = 0
    last = 0
    for match in _BOLD.finditer(text):
        before = text[last : match.start()]
        plain.append(before)
        length += len(before)
        inner = match.group(1)
        plain.append(inner)
        spans.append((length, length + len(inner)))
        length += len(inner)
        last = match.end()
    plain.append(text[last:])
    return "".join(plain), spans


def _chunks(text: str, limit: int) -> list[tuple[int, int]]:
    chunks = []
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in _SPACE:
            pos += 1
        if pos >= n:
            return chunks
        end = max(_fit(text, pos, limit), pos + 1)
        if end < n:
            newline = text.rfind("\n", pos, end + 1)
            space = max(text.rfind(" ", pos, end + 1), text.rfind("\t", pos, end + 1))
            if newline > pos + (end - pos) // 2:
                end = newline
            elif space > pos:
                end = space
        stop = end
        while stop > pos and text[stop - 1] in _SPACE:
            stop -= 1
        chunks.append((pos, stop))
        pos = end


def _fit(text: str, pos: int, limit: int) -> int:
    """Largest end such that text[pos:end] is at most `limit` UTF-16 units long."""
    units = 0
    for i in range(pos, len(text)):
        units += 2 if ord(text[i]) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)
