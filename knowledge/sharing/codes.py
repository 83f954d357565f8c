"""Join codes for shared plans: short, easy to type over the phone, found in free text."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: characters that are easy to confuse when read aloud or typed.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_DIGITS = frozenset("23456789")
_ALLOWED = frozenset(ALPHABET)
_GROUP = 4

_TOKEN = re.compile(r"\w+")
_DASH = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*")
_SPACE = re.compile(r"\s+")


def _has_digit(chars: str) -> bool:
    return any(c in _DIGITS for c in chars)


def new_join_code() -> str:
    """A random code "XXXX-XXXX".

    Always holds at least one digit: `find_code` ignores digit-free groups (they could be
    ordinary words), so such a code could never be typed back.
    """
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(2 * _GROUP))
        if _has_digit(raw):
            return f"{raw[:_GROUP]}-{raw[_GROUP:]}"


def _valid(chars: str) -> bool:
    return all(c in _ALLOWED for c in chars)


def find_code(text: str) -> str | None:
    """The join code in a user's message, normalised to "XXXX-XXXX" (or "XXX-XXX"), else None.

    Case-insensitive; accepts a dash, a space or nothing between the halves. A candidate needs
    at least one digit so ordinary Dutch words never match. When several candidates overlap
    (e.g. "deze K7QM 4MXZ"), the most code-like one wins.
    """
    tokens = [(m.group().upper(), m.start(), m.end()) for m in _TOKEN.finditer(text or "")]
    best: tuple[tuple[int, int, int, int, int], str] | None = None
    for i, (word, _, end) in enumerate(tokens):
        candidates: list[tuple[str, str, int]] = []  # (first half, second half, separator rank)
        if len(word) == 2 * _GROUP:
            candidates.append((word[:_GROUP], word[_GROUP:], 2))
        if i + 1 < len(tokens):
            nxt, start, _ = tokens[i + 1]
            between = text[end:start]
            dashed = _DASH.fullmatch(between) is not None
            if len(word) == len(nxt) == _GROUP and (dashed or _SPACE.fullmatch(between)):
                candidates.append((word, nxt, 2 if dashed else 1))
            # Short 3-3 codes only with a dash: "het 4de" must not look like a code.
            elif len(word) == len(nxt) == _GROUP - 1 and dashed:
                candidates.append((word, nxt, 2))
        for first, second, sep_rank in candidates:
            if not (_valid(first + second) and _has_digit(first + second)):
                continue
            score = (
                len(first),
                _has_digit(first) + _has_digit(second),
                sep_rank,
                int(_has_digit(first)),
                -i,
            )
            if best is None or score > best[0]:
                best = (score, f"{first}-{second}")
    return best[1] if best else None
