"""Plan names: a short name proposed from step 1's answer, cleaned, length-limited and unique.

The proposal is deterministic (no language model): the place the problem text names (a setting
from the catalogue's vocabulary such as "stationsgebied", plus place names written with a capital
or a compass word such as "Oost") and the problem it names ("Winkeldiefstal"). Without either,
the first words of the text; without text, "Plan van 2 december 2026".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from knowledge.catalogue import Catalogue
from knowledge.nl.dates import MONTH_NAMES
from knowledge.nl.lexicon import Lexicon, lexicon_for
from knowledge.nl.text import STOPWORDS, fold, stem
from knowledge.sanitize import clean_text

NAME_MAX = 40  # characters; long enough for "Jeugdoverlast Stationsgebied Oost (2)"
NAME_MIN = 2
_FIRST_WORDS = 4
_COMPASS = {
    "noord",
    "oost",
    "zuid",
    "west",
    "noordoost",
    "noordwest",
    "zuidoost",
    "zuidwest",
    "noord-oost",
    "noord-west",
    "zuid-oost",
    "zuid-west",
}
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_SPACES = re.compile(r"\s+")
_EDGE = re.compile(r"^[\s\W_]+|[\s\W_]+$", re.UNICODE)
_MAX_THEME_WORDS = 3  # "Onveiligheid rond stations en openbaar vervoer" is no name


def plan_day(moment: datetime) -> str:
    """'2 december 2026' (month names from the one definition in knowledge.nl.dates)."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def dated_name(moment: datetime) -> str:
    return f"Plan van {plan_day(moment)}"


def tidy_name(text: str | None) -> str:
    """A name as it may be stored: cleaned, on one line, no edge punctuation, at most NAME_MAX.

    Empty when nothing usable is left. Quotes around a typed name ("'Winkelcentrum Zuid'") go.
    """
    name = _SPACES.sub(" ", clean_text(text or "")).strip()
    name = _EDGE.sub("", name)
    if len(name) > NAME_MAX:
        cut = name[:NAME_MAX].rsplit(" ", 1)[0] if " " in name[:NAME_MAX] else name[:NAME_MAX]
        name = _EDGE.sub("", cut)
    return name if len(name) >= NAME_MIN else ""


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def _place_names(text: str, lexicon: Lexicon | None) -> list[str]:
    """Place names in the text: capitalised words not starting a sentence, and compass words."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0).strip("'’-")
        before = text[: match.start()]
        sentence_start = not before.strip() or bool(_SENTENCE_END.search(before))
        folded = fold(word)
        if folded in _COMPASS:
            found.append(_capitalised(folded))
            continue
        if sentence_start or not word[:1].isupper() or word.isupper() or folded in STOPWORDS:
            continue
        if lexicon is not None and lexicon.find(word):
            continue  # a method or a vocabulary word written with a capital ("KVO", "Politie")
        found.append(word)
    return list(dict.fromkeys(found))[:2]


def _as_written(text: str, phrase: str) -> str:
    """The user's own word for a one-word vocabulary phrase ("Marktplein" for "plein")."""
    core = [w for w in _WORD.findall(phrase) if fold(w) not in STOPWORDS] or [phrase]
    if len(core) == 1:
        target = fold(core[0])
        for word in _WORD.findall(text):
            if (
                fold(word) == target
                or stem(fold(word)) == stem(target)
                or (fold(word).endswith(target))
            ):
                return word
    return " ".join(core)


def propose_name(text: str | None, catalogue: Catalogue | None, created: datetime) -> str:
    """A short name for a plan from its problem text (step 1); dated when the text gives none."""
    text = clean_text(text or "")[:2000]
    lexicon = lexicon_for(catalogue) if catalogue is not None else None
    matches = lexicon.find(text) if lexicon is not None and text.strip() else []
    setting = next((_as_written(text, m.phrase) for m in matches if m.group == "settings"), "")
    problem = next((m for m in matches if m.group == "problems"), None)
    theme = ""
    if problem is not None:
        term = catalogue.vocabulary.problems.get(problem.key) if catalogue is not None else None
        label = term.label if term is not None else ""
        theme = label if label and len(label.split()) <= _MAX_THEME_WORDS else problem.phrase
        if setting and (fold(setting) in fold(theme) or fold(theme) in fold(setting)):
            theme = ""  # "station" and "stationsgebied" say the same
    places = _place_names(text, lexicon)
    if setting:
        name = " ".join([_capitalised(setting), *places])
        if not places and theme:
            name = f"{_capitalised(theme)} {setting.lower()}"
    elif places and theme:
        name = f"{_capitalised(theme)} {' '.join(places)}"
    elif theme or places:
        name = _capitalised(theme) if theme else " ".join(places)
    else:
        content = [w for w in _WORD.findall(text) if fold(w) not in STOPWORDS]
        name = _capitalised(" ".join(content[:_FIRST_WORDS]))
    return tidy_name(name) or dated_name(created)


def unique_name(name: str, taken: Iterable[str]) -> str:
    """``name``, or with a number added ("Winkelcentrum Zuid (2)") when the user has it already."""
    used = {fold(t) for t in taken if t}
    if fold(name) not in used:
        return name
    for number in range(2, 1000):
        suffix = f" ({number})"
        candidate = tidy_name(name[: NAME_MAX - len(suffix)]) + suffix
        if fold(candidate) not in used:
            return candidate
    raise ValueError("no free name")  # a user has at most a few dozen plans


def same_name(a: str, b: str) -> bool:
    return fold(a) == fold(b)
