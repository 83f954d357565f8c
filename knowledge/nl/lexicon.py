"""Recognise the catalogue's vocabulary in free text: methods, problems, settings, groups.

Matching works on stemmed word sequences, so "inbraken in huizen" matches the synonym
"inbraak in huis". Typos are tolerated by comparing the written words of a window with the
written words of the catalogue's phrases ("comunities that kare", "streetwize").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rapidfuzz import fuzz, process

from knowledge.catalogue import Catalogue
from knowledge.nl.text import STOPWORDS, stem, words

# Vocabulary groups that are recognised; "methods" are names, aliases and example names.
GROUPS = (
    "methods",
    "problems",
    "settings",
    "target_groups",
    "parties",
    "field",
    "roles",
    "object",
    "cooperation",
    "out_of_scope",
)
_FUZZY_MIN_CHARS = 6  # shorter words are too easily confused ("ov", "om", "bar")
_FUZZY_SCORE = 88
_FUZZY_MAX_WORDS = 40  # fuzzy matching only for chat-sized messages
_FUZZY_MAX_SIZE = 4  # longer catalogue phrases must be typed (nearly) right
# A Dutch compound names a kind of its last part ("stadsbussen" are buses): an unknown word whose
# tail is a one-word phrase matches it, when the tail is long enough to mean something and makes
# up at least half the word ("arbeidsmarkt" is no market).
_TAIL_MIN_CHARS = 5
# The part in front of the tail must be long enough to make the word a kind of the tail: short
# first parts glue into words of their own ("tankstation" is no railway station).
_MODIFIER_MIN_CHARS = 5
# A compound whose last part is a light word for a person, place, organisation or plan is about
# its first part ("schoollocatie", "reclasseringswerker"); other compounds are not
# ("straatroven" are robberies, not a street).
_LIGHT_HEADS = frozenset(
    {
        "werker", "medewerker", "locatie", "gebouw", "terrein", "omgeving", "team", "organisatie",
        "instelling", "personeel", "directeur", "leiding", "beleid", "plan", "project",
    }
)  # fmt: skip
_LINKS = ("s", "en", "e")  # Dutch linking sounds between the parts of a compound
# A diminutive of a short word is often a word of its own ("busje" is a van, not a bus).
_DIMINUTIVES = ("jes", "je")
_SHORT_WORD_CHARS = 3
# A comparative is read as its adjective only for a long base ("sneller" is not "snelheid").
_COMPARATIVE_MIN_BASE = 6
_LIGHT_STEMS = frozenset(stem(w) for w in _LIGHT_HEADS)
# Written words whose Snowball stem is shared by an unrelated word: they match only themselves
# ("keet" stems like "keten", but a zuipkeet is no chain of organisations).
_OWN_STEM = frozenset({"keet"})
_ABBREVIATION_MAX_CHARS = 4  # VER, KVO, ABCD, PKVW
_PREFIXES = frozenset({"be", "er", "ge", "her", "mis", "ont", "ver"})  # Dutch, never a head


@dataclass(frozen=True)
class Match:
    group: str  # one of GROUPS
    key: str  # method id or vocabulary key
    phrase: str  # the catalogue phrase that matched
    fuzzy: bool = False


@dataclass
class Lexicon:
    """Phrase index: stemmed phrase -> [(group, key, phrase)], plus written forms for typos."""

    phrases: dict[tuple[str, ...], list[tuple[str, str, str]]] = field(default_factory=dict)
    written: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    max_len: int = 1

    def add(self, group: str, key: str, phrase: str) -> None:
        tokens = words(phrase)
        stems = tuple(stem(w) for w in tokens)
        if not stems:
            return
        entries = self.phrases.setdefault(stems, [])
        if (group, key, phrase) not in entries:
            entries.append((group, key, phrase))
        text = " ".join(tokens)
        if len(text.replace(" ", "")) >= _FUZZY_MIN_CHARS:
            self.written.setdefault(len(tokens), {}).setdefault(text, stems)
        self.max_len = max(self.max_len, len(stems))

    def find(self, text: str) -> list[Match]:
        """All vocabulary matches in ``text``, longest phrases first.

        Within one group phrases do not overlap ("inbraak in huis" wins over "huis"), but a
        phrase may match in several groups: "jongeren die rondhangen" is a problem and names
        a target group.
        """
        tokens = words(text[:2000])
        stems = [_stem(w) for w in tokens]
        # a comparative is tried as its plain adjective when the word itself matches nothing
        plain = [_comparative(w) for w in tokens]
        fuzzy_ok = len(tokens) <= _FUZZY_MAX_WORDS
        taken: dict[str, list[bool]] = {}
        covered = [False] * len(tokens)  # by any group; typos are only tried on free words
        found: list[Match] = []
        for size in range(min(self.max_len, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                span = slice(start, start + size)
                entries = self.phrases.get(tuple(stems[span]))
                if entries is None and any(plain[span]):
                    alt = tuple(p or s for p, s in zip(plain[span], stems[span], strict=True))
                    entries = self.phrases.get(alt)
                fuzzy = False
                window = tokens[span]
                if entries is None and size == 1 and not covered[start]:
                    entries = self._compound_tail(window[0]) or self._compound_head(window[0])
                if (
                    entries is None
                    and fuzzy_ok
                    and size <= _FUZZY_MAX_SIZE
                    and not any(covered[span])
                    and window[0] not in STOPWORDS
                    and window[-1] not in STOPWORDS
                    and not any(t.startswith("=") for t in stems[span])
                ):
                    entries = self._fuzzy(" ".join(window), size)
                    fuzzy = entries is not None
                if entries and size == 1 and not fuzzy:
                    # A method's abbreviation is written as it is, not found as a stem
                    # ("verdere" and "verder" do not name VER).
                    entries = [e for e in entries if not _abbreviation(e) or words(e[2]) == window]
                for group in {g for g, _, _ in entries or ()}:
                    mask = taken.setdefault(group, [False] * len(tokens))
                    if any(mask[span]):
                        continue
                    mask[span] = [True] * size
                    covered[span] = [True] * size
                    found.extend(Match(g, k, p, fuzzy) for g, k, p in entries if g == group)
        return found

    def _compound_tail(self, word: str) -> list[tuple[str, str, str]] | None:
        """The entries of the longest one-word phrase that ``word`` ends with, as a compound.

        A word made with an inseparable prefix is no compound ("ontsporen" is no kind of
        "sporen"), and a method's name is no kind of thing ("overheid" does not name VER).
        """
        for cut in range(_MODIFIER_MIN_CHARS, len(word) - _TAIL_MIN_CHARS + 1):
            tail = word[cut:]
            if len(tail) * 2 < len(word):
                return None
            if word[:cut] in _PREFIXES:
                continue
            entries = [e for e in self.phrases.get((stem(tail),), ()) if e[0] != "methods"]
            if entries:
                return entries
        return None

    def _compound_head(self, word: str) -> list[tuple[str, str, str]] | None:
        """The entries of the one-word phrase in front of a light last part of ``word``."""
        for cut in range(len(word) - 3, _TAIL_MIN_CHARS - 1, -1):
            first, rest = word[:cut], word[cut:]
            if stem(rest) not in _LIGHT_STEMS:
                continue
            for link in ("", *_LINKS):
                if link and not first.endswith(link):
                    continue
                part = first[: len(first) - len(link)]
                if len(part) < _TAIL_MIN_CHARS:
                    continue
                entries = [e for e in self.phrases.get((stem(part),), ()) if e[0] != "methods"]
                if entries:
                    return entries
        return None

    def _fuzzy(self, window: str, size: int) -> list[tuple[str, str, str]] | None:
        choices = self.written.get(size)
        if not choices or len(window.replace(" ", "")) < _FUZZY_MIN_CHARS:
            return None
        best = process.extractOne(
            window, choices.keys(), scorer=fuzz.ratio, score_cutoff=_FUZZY_SCORE
        )
        return self.phrases[choices[best[0]]] if best else None


def _stem(word: str) -> str:
    """The stem to look ``word`` up with; a word that must match as written gets no stem."""
    if word in _OWN_STEM:
        return "=" + word
    for ending in _DIMINUTIVES:
        if word.endswith(ending) and len(word) - len(ending) <= _SHORT_WORD_CHARS:
            return "=" + word
    return stem(word)


def _comparative(word: str) -> str | None:
    """The stem of the plain adjective of a comparative: 'extremere' -> stem('extreme')."""
    for ending in ("ere", "er"):
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= _COMPARATIVE_MIN_BASE:
            return stem(base + "e")
    return None


def _abbreviation(entry: tuple[str, str, str]) -> bool:
    group, _, phrase = entry
    return group == "methods" and len(phrase) <= _ABBREVIATION_MAX_CHARS


def build_lexicon(catalogue: Catalogue) -> Lexicon:
    lexicon = Lexicon()
    for method in catalogue:
        names = [method.name, method.id.replace("_", " "), *method.aliases]
        names += [example.name for example in method.examples]
        if method.abbreviation:
            names.append(method.abbreviation)
        for name in names:
            lexicon.add("methods", method.id, name)
    vocab = catalogue.vocabulary
    for group in GROUPS[1:]:
        for key, term in getattr(vocab, group).items():
            for phrase in (term.label, key.replace("_", " "), *term.synonyms):
                lexicon.add(group, key, phrase)
    return lexicon


@cache
def lexicon_for(catalogue: Catalogue) -> Lexicon:
    """One lexicon per catalogue and process, shared by the search and the planner."""
    return build_lexicon(catalogue)
