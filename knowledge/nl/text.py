"""Dutch text normalisation: accents, tokens, stop words, Snowball stems and compounds.

Dutch glues words together ("winkeldiefstallen", "veiligheidsplan"), so a token that the
corpus does not know is also split into two known parts when possible.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

_STEMMER = Stemmer.Stemmer("dutch")
_WORD = re.compile(r"[a-z0-9]+")
# Question words and chat filler that say nothing about the method.
_EXTRA_STOP = {
    "welke",
    "welk",
    "wat",
    "hoe",
    "methode",
    "methodes",
    "methoden",
    "methodiek",
    "aanpak",
    "aanpakken",
    "kan",
    "kunnen",
    "moet",
    "moeten",
    "we",
    "wij",
    "ik",
    "jij",
    "je",
    "jullie",
    "graag",
    "gebruiken",
    "inzetten",
    "helpen",
    "help",
    "goede",
    "goed",
    "beste",
    "tips",
    "advies",
    "onze",
    "ons",
    "mijn",
    "gemeente",
    "hebben",
    "heb",
    "last",
    "doen",
    "daar",
    "hier",
    "bij",
    "iets",
    "erg",
    "veel",
    "steeds",
    "nu",
    "willen",
    "wil",
    "zoek",
    "zoeken",
}
STOPWORDS: frozenset[str] = frozenset(STOPWORDS_DUTCH) | frozenset(_EXTRA_STOP)
MAX_QUERY_CHARS = 2000


def fold(text: str) -> str:
    """Lowercase and strip accents: 'Coördinator' -> 'coordinator'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def split_compound(word: str, known: set[str], min_part: int = 4) -> list[str]:
    """Split ``word`` into two known stems ('winkeldiefstal' -> winkel, diefstal), or []."""
    for i in range(min_part, len(word) - min_part + 1):
        head, tail = word[:i], word[i:]
        for h in (head, head[:-1] if head.endswith("s") else None):
            if h and len(h) >= min_part and stem(h) in known and stem(tail) in known:
                return [stem(h), stem(tail)]
    return []


def analyse(text: str, known: set[str] | None = None) -> list[str]:
    """Tokens for BM25: stems of content words, plus compound parts the corpus knows."""
    tokens: list[str] = []
    for word in content_words(text[:MAX_QUERY_CHARS]):
        token = stem(word)
        tokens.append(token)
        if known is not None and len(word) >= 8:
            tokens.extend(split_compound(word, known))
    return tokens


def vocabulary(texts: Iterable[str]) -> set[str]:
    return {stem(w) for text in texts for w in content_words(text)}
