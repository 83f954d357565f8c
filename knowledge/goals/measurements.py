"""A typed measurement ("winkeldiefstallen Q1 2027: 42") as indicator, period and value, and
the goal of the plan it belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.goals.goals import AREA_WORDS, GENERIC, Goal
from knowledge.goals.numbers import NUMBER, is_year, mask, normalise, to_float
from knowledge.goals.periods import find_periods, main_period
from knowledge.nl.lexicon import Lexicon
from knowledge.nl.text import STOPWORDS, fold, stem


@dataclass
class MeasurementInput:
    indicator: str  # readable, lower case: "winkeldiefstallen", "meldingen jeugdoverlast"
    period: str  # "Q1 2027", "maart 2027", "2026", "week 12 2027"
    period_key: str  # ISO date of the period start: sorts the periods
    value: float


# Words that name the measuring, not what was measured.
FILLER = set(
    str.split(
        """
    aantal aantallen het de een meting metingen nieuwe gemeten er waren was is zijn werden werd
    in op over tijdens gedurende van per totaal totale score scores cijfer rapportcijfer stand
    percentage procent pct gemiddeld gemiddelde jaar kwartaal maand week periode tm t m tot en
    met stuks keer x we wij ik hebben heb hadden had telden geteld geregistreerd registreerden
    gemeld gehad bedraagt bedroeg bedroegen kwam kwamen uit komt dit vorig vorige afgelopen
    deze laatste nu momenteel ongeveer circa ca bijna ruim zo'n zon dat waarde uitkomst
    resultaat resultaten bij totaalaantal voor registreerde registreert telde telt noteerde
    noteerden kreeg kregen ontving ontvingen zagen zag nulmeting startmeting uitgangssituatie
    nog heel cijfers zitten zit zaten halfjaar helft stand
    """
    )
)
_NOT_A_MEASUREMENT = re.compile(
    r"\b(doel|doelen|doelstelling|streefwaarde|streefcijfer|streven|streeft|willen|wil)\b"
)
_SIDE_NOTE = re.compile(
    r"[,;(]\s*(?:doel|streefwaarde|vorig\w*|vs\.?|t\.?o\.?v\.?|tegen|vergeleken|ten opzichte"
    r"|terwijl|bron)\b"
)
_SEPARATOR = re.compile(r"[,;:=]|\s-\s|\ben\b")
_SCALE = re.compile(
    r"\b(?:op\s+een\s+)?schaal\s+(?:van\s+)?\d+\s*(?:-|tot)\s*\d+|\(\s*\d+\s*-\s*\d+\s*\)"
    r"|/\s*10\b|\b(?:op|uit)\s+10\b(?!\s*\w)"
)


def parse_measurement(text: str, today: date | None = None) -> MeasurementInput | None:
    """Indicator, period and value from a typed measurement, or None if one of them is missing."""
    today = today or date.today()
    full = normalise(text)
    head = full[: m.start()] if (m := _SIDE_NOTE.search(full)) else full
    for part in (head, full) if head != full else (full,):
        result = _parse_measurement_part(part, today)
        if result:
            return result
    return None


def _parse_measurement_part(t: str, today: date) -> MeasurementInput | None:
    periods = find_periods(t, today)
    period = main_period(periods, today)
    if period is None:
        return None
    masked = mask(t, [(p.start, p.end) for p in periods])
    masked = _SCALE.sub(lambda m: " " * len(m.group()), masked)
    numbers = [m for m in NUMBER.finditer(masked) if not is_year(m.group(1))]
    numbers = [m for m in numbers if not re.match(r"-[a-z]", masked[m.end() : m.end() + 2])]
    if not numbers:
        return None
    goal_word = _NOT_A_MEASUREMENT.search(masked)
    if goal_word and goal_word.start() < numbers[0].start():
        return None
    colon = re.search(r"[:=]", masked)
    after = [m for m in numbers if colon and m.start() > colon.start()]
    chosen = (after or numbers)[0]
    value = to_float(chosen.group(1))
    unit = re.match(r"\s*(%|procent\b|pct\b)", masked[chosen.end() :])
    end = chosen.end() + (unit.end() if unit else 0)
    rest = mask(masked, [(chosen.start(), end)])
    # "woninginbraken 22, winkeldiefstallen 40": the words next to the value name it.
    left = max((m.end() for m in _SEPARATOR.finditer(rest, 0, chosen.start())), default=0)
    right = next((m.start() for m in _SEPARATOR.finditer(rest, end)), len(rest))
    indicator = _indicator_text(rest[left:right]) or _indicator_text(rest)
    if not indicator:
        return None
    return MeasurementInput(indicator, period.label, period.key, value)


def _indicator_text(text: str) -> str:
    without_notes = re.sub(r"\([^)]*\)?", " ", text)
    if without_notes != text and (words := _indicator_words(without_notes)):
        return words
    return _indicator_words(text)


def _indicator_words(text: str) -> str:
    tokens = re.findall(r"[a-z][a-z0-9'-]*[a-z0-9]|[a-z]|\d+-[a-z][a-z-]*", text)
    kept = [w for w in tokens if w not in FILLER and not w.isdigit()]
    return " ".join(kept).strip(" -'")


_PROBLEM_KEYS: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _problem_keys(lexicon: Lexicon) -> frozenset[str]:
    cached = _PROBLEM_KEYS.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        keys = frozenset(
            key
            for entries in lexicon.phrases.values()
            for group, key, _ in entries
            if group == "problems"
        )
        cached = _PROBLEM_KEYS[id(lexicon)] = (lexicon, keys)
    return cached[1]


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < 5:
        return False
    if long.endswith(short):  # compound head: inbraak / woninginbraak
        return True
    return long.startswith(short) and len(short) >= 0.65 * len(long)


def _measurement_words(indicator: str) -> list[str]:
    out = []
    for word in re.findall(r"[a-z][a-z-]*[a-z]", fold(indicator)):
        if word in STOPWORDS or word in FILLER or word in AREA_WORDS or len(word) < 3:
            continue
        out.append(stem(word.replace("-", "")))
    return out


def match_goal(goals: list[Goal], indicator: str, lexicon: Lexicon) -> Goal | None:
    """The goal a measurement belongs to, or None when none (or more than one) fits."""
    known = _problem_keys(lexicon)
    m_words = _measurement_words(indicator)
    m_keys = {m.key for m in lexicon.find(indicator) if m.group == "problems" and not m.fuzzy}
    scored: list[tuple[float, int]] = []
    for index, goal in enumerate(goals):
        g_keys = {w for w in goal.indicator_words if w in known}
        g_words = [w for w in goal.indicator_words if "_" not in w]
        if m_keys and g_keys and not (m_keys & g_keys):
            continue  # two different problems
        score = 0.0
        for word in m_words:
            if any(_similar(word, g) for g in g_words):
                score += 0.5 if word in GENERIC else 2.0
        if m_keys & g_keys:
            score += 2.0
        if score >= 2.0:
            scored.append((score, index))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous: do not guess
    return goals[scored[0][1]]
