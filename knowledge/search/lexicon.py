"""Recognise the catalogue's vocabulary in free text: methods, problems, settings, groups.

Matching works on stemmed word sequences, so "inbraken in huizen" matches the synonym
"inbraak in huis", and a typo within edit distance is tolerated for longer words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.catalogue import Catalogue
from knowledge.search.text import stem, words

# Which vocabulary groups are recognised, with the report table that ties them to methods.
GROUPS = ("methods", "problems", "settings", "target_groups", "parties", "field", "roles")
_FUZZY_MIN_LEN = 6
_FUZZY_SCORE = 86


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


@dataclass(frozen=True)
class Match:
    group: str  # one of GROUPS
    key: str  # method id or vocabulary key
    phrase: str  # the catalogue phrase that matched
    fuzzy: bool = False


@dataclass
class Lexicon:
    """Phrase index: stemmed phrase -> (group, key, phrase)."""

    phrases: dict[tuple[str, ...], list[tuple[str, str, str]]] = field(default_factory=dict)
    single: list[str] = field(default_factory=list)  # single-word stems for fuzzy matching

    def add(self, group: str, key: str, phrase: str) -> None:
        stems = _stems(phrase)
        if not stems:
            return
        entries = self.phrases.setdefault(stems, [])
        if (group, key, phrase) not in entries:
            entries.append((group, key, phrase))

    def finish(self) -> None:
        self.single = sorted({s[0] for s in self.phrases if len(s) == 1 and len(s[0]) >= 5})
        self.max_len = max(len(s) for s in self.phrases)

    def find(self, text: str) -> list[Match]:
        """All vocabulary matches in ``text``, longest phrases first, without overlaps."""
        tokens = [stem(w) for w in words(text[:2000])]
        taken = [False] * len(tokens)
        found: list[Match] = []
        for size in range(min(self.max_len, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(taken[start : start + size]):
                    continue
                window = tuple(tokens[start : start + size])
                entries = self.phrases.get(window)
                fuzzy = False
                if entries is None and size == 1 and len(window[0]) >= _FUZZY_MIN_LEN:
                    best = process.extractOne(
                        window[0], self.single, scorer=fuzz.ratio, score_cutoff=_FUZZY_SCORE
                    )
                    if best is not None:
                        entries, fuzzy = self.phrases[(best[0],)], True
                if entries:
                    taken[start : start + size] = [True] * size
                    found.extend(Match(g, k, p, fuzzy) for g, k, p in entries)
        return found


def build_lexicon(catalogue: Catalogue) -> Lexicon:
    lexicon = Lexicon()
    for method in catalogue:
        names = [method.name, method.id.replace("_", " "), *method.aliases]
        if method.abbreviation:
            names.append(method.abbreviation)
        for name in names:
            lexicon.add("methods", method.id, name)
    vocab = catalogue.vocabulary
    for group in GROUPS[1:]:
        for key, term in getattr(vocab, group).items():
            for phrase in (term.label, key.replace("_", " "), *term.synonyms):
                lexicon.add(group, key, phrase)
    lexicon.finish()
    return lexicon


def normalise(lexicon: Lexicon, group: str, text: str) -> str | None:
    """Map an entity text (e.g. from Rasa) to a catalogue key of ``group``, or None."""
    return next((m.key for m in lexicon.find(text) if m.group == group), None)
