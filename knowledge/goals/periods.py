"""Periods as officials write them: "Q1 2027", "maart", "week 12", "1e helft 2026", "vorig jaar".

``today`` fills in a missing year and anchors relative periods; callers pass it (tests pin it).

Why not dateparser (checked with 1.5.0, languages=["nl"]): it returns one moment, not a period,
and misses most of what officials write. "Q1 2027" became 10 February 2027, "mrt '27" became
27 March; "1e helft 2026", "week 12 2027", "eerste kwartaal", "jan t/m mrt 2027", "vorig
kwartaal", "eind 2027" and "binnen twee jaar" gave nothing, and search_dates missed "in maart".
It only covers single dates ("3 maart 2027", "03-03-2027"), which the patterns below already
read, so it would add a dependency without removing a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.goals.numbers import normalise
from knowledge.nl.dates import MONTH_NAMES, MONTH_NUMBERS

MONTH_RE = "(" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\b\.?"
_YEAR = r"((?:19|20)\d\d|'\d\d)"
_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}
_ORD = r"(?:([1-4])\s*(?:e|ste|de)|(eerste|tweede|derde|vierde|laatste))"
_OF_YEAR = rf"(?:\s*(?:van\s+|[-/,]\s*)?{_YEAR}\b)?"

# (kind, pattern); every pattern's groups are read by _period_from_match.
_PERIOD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(rf"\b(\d{{1,2}})[-/.](\d{{1,2}})[-/.]{_YEAR}\b")),
    ("date_text", re.compile(rf"\b(\d{{1,2}})\s+{MONTH_RE}\s*{_YEAR}")),
    (
        "month_range",
        re.compile(rf"\b{MONTH_RE}\s*(?:t/?m|tot\s+en\s+met|tot|-)\s*{MONTH_RE}{_OF_YEAR}"),
    ),
    ("quarter", re.compile(rf"\bq\s?([1-4])\b{_OF_YEAR}")),
    ("quarter_year_first", re.compile(rf"\b{_YEAR}\s*[-/ ]?\s*q([1-4])\b")),
    ("quarter_words", re.compile(rf"\b{_ORD}\s+kwartaal{_OF_YEAR}")),
    ("quarter_number", re.compile(rf"\bkwartaal\s+([1-4])\b{_OF_YEAR}")),
    ("half", re.compile(rf"\b{_ORD}\s+(?:helft|halfjaar|half\s+jaar){_OF_YEAR}")),
    ("half_number", re.compile(rf"\b(?:halfjaar|half\s+jaar|helft)\s+([12])\b{_OF_YEAR}")),
    ("half_h", re.compile(rf"\bh([12])\b{_OF_YEAR}")),
    ("week", re.compile(rf"\b(?:week|wk)\.?\s*(\d{{1,2}})\b{_OF_YEAR}")),
    ("week_iso", re.compile(r"\b((?:19|20)\d\d)-?w(\d{1,2})\b")),
    ("month", re.compile(rf"\b{MONTH_RE}{_OF_YEAR}")),
    ("month_number", re.compile(r"\b(0?[1-9]|1[0-2])[-/]((?:19|20)\d\d)\b(?![-/]\d)")),
    ("month_iso", re.compile(r"\b((?:19|20)\d\d)[-/](0[1-9]|1[0-2])\b(?![-/]\d)")),
    (
        "relative",
        re.compile(r"\b(dit|deze|vorig|vorige|afgelopen|verleden)\s+(jaar|kwartaal|maand|week)\b"),
    ),
    ("year", re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")),
]


@dataclass(frozen=True)
class Period:
    label: str
    key: str  # ISO date of the period's start
    start: int
    end: int
    has_year: bool
    kind: str


def _year(text: str | None, default: int) -> tuple[int, bool]:
    if not text:
        return default, False
    if text.startswith("'"):
        return 2000 + int(text[1:]), True
    return int(text), True


def _quarter(year: int, q: int) -> tuple[str, str]:
    return f"Q{q} {year}", date(year, 3 * q - 2, 1).isoformat()


def _half(year: int, h: int) -> tuple[str, str]:
    return f"{h}e helft {year}", date(year, 6 * h - 5, 1).isoformat()


def _month(year: int, m: int) -> tuple[str, str]:
    return f"{MONTH_NAMES[m - 1]} {year}", date(year, m, 1).isoformat()


def _period_from_match(kind: str, m: re.Match[str], today: date) -> Period | None:
    g = m.groups()
    default = today.year
    try:
        if kind == "date":
            year, has = _year(g[2], default)
            day = date(year, int(g[1]), int(g[0]))
            label, key = f"{day.day} {MONTH_NAMES[day.month - 1]} {year}", day.isoformat()
        elif kind == "date_text":
            year, has = _year(g[2], default)
            day = date(year, MONTH_NUMBERS[g[1]], int(g[0]))
            label, key = f"{day.day} {MONTH_NAMES[day.month - 1]} {year}", day.isoformat()
        elif kind == "month_range":
            year, has = _year(g[2], default)
            first, last = MONTH_NUMBERS[g[0]], MONTH_NUMBERS[g[1]]
            if last < first:
                return None
            if first == 1 and last == 12:
                label, key = str(year), date(year, 1, 1).isoformat()
            elif last - first == 2 and first % 3 == 1:
                label, key = _quarter(year, (first + 2) // 3)
            elif last - first == 5 and first in (1, 7):
                label, key = _half(year, 1 if first == 1 else 2)
            else:
                label = f"{MONTH_NAMES[first - 1]} t/m {MONTH_NAMES[last - 1]} {year}"
                key = date(year, first, 1).isoformat()
        elif kind in ("quarter", "quarter_number"):
            year, has = _year(g[1], default)
            label, key = _quarter(year, int(g[0]))
        elif kind == "quarter_year_first":
            year, has = _year(g[0], default)
            label, key = _quarter(year, int(g[1]))
        elif kind in ("quarter_words", "half"):
            number = int(g[0]) if g[0] else _ORDINALS[g[1]]
            year, has = _year(g[2], default)
            if kind == "half":
                if number > 2:
                    return None
                label, key = _half(year, number)
            else:
                label, key = _quarter(year, number)
        elif kind in ("half_h", "half_number"):
            year, has = _year(g[1], default)
            label, key = _half(year, int(g[0]))
        elif kind == "week":
            year, has = _year(g[1], default)
            week = int(g[0])
            label, key = f"week {week} {year}", date.fromisocalendar(year, week, 1).isoformat()
        elif kind == "week_iso":
            year, week, has = int(g[0]), int(g[1]), True
            label, key = f"week {week} {year}", date.fromisocalendar(year, week, 1).isoformat()
        elif kind == "month":
            year, has = _year(g[1], default)
            label, key = _month(year, MONTH_NUMBERS[g[0]])
        elif kind == "month_number":
            year, has = int(g[1]), True
            label, key = _month(year, int(g[0]))
        elif kind == "month_iso":
            year, has = int(g[0]), True
            label, key = _month(year, int(g[1]))
        elif kind == "relative":
            label, key = _relative_period(g[0], g[1], today)
            has = True
        else:  # year
            year, has = int(g[0]), True
            label, key = str(year), date(year, 1, 1).isoformat()
    except ValueError:  # 31-02, week 54
        return None
    return Period(label, key, m.start(), m.end(), has, kind)


def _relative_period(which: str, unit: str, today: date) -> tuple[str, str]:
    back = 0 if which in ("dit", "deze") else 1
    if unit == "jaar":
        year = today.year - back
        return str(year), date(year, 1, 1).isoformat()
    if unit == "kwartaal":
        index = today.year * 4 + (today.month - 1) // 3 - back
        return _quarter(index // 4, index % 4 + 1)
    if unit == "maand":
        index = today.year * 12 + today.month - 1 - back
        return _month(index // 12, index % 12 + 1)
    monday = today - timedelta(days=today.weekday(), weeks=back)
    year, week, _ = monday.isocalendar()
    return f"week {week} {year}", monday.isoformat()


def find_periods(text: str, today: date) -> list[Period]:
    """All periods in folded ``text``, without overlaps (the longest match wins)."""
    found: list[Period] = []
    for kind, pattern in _PERIOD_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < p.end and p.start < m.end() for p in found):
                continue
            period = _period_from_match(kind, m, today)
            if period:
                found.append(period)
    return sorted(found, key=lambda p: p.start)


def main_period(periods: list[Period], today: date) -> Period | None:
    """The first period; a year elsewhere in the text completes a period without one."""
    if not periods:
        return None
    years = [p for p in periods if p.kind == "year"]
    others = [p for p in periods if p.kind != "year"]
    if not others:
        return years[0]
    main = others[0]
    if main.has_year or not years or main.kind == "relative":
        return main
    year = years[0].label
    relabelled = find_periods(_relabel(main.label, year), today)
    for period in relabelled:
        if period.kind != "year":
            return Period(period.label, period.key, main.start, main.end, True, main.kind)
    return main


def _relabel(label: str, year: str) -> str:
    return re.sub(r"(?:19|20)\d\d$", year, label)


def period_sort_key(label: str, today: date | None = None) -> str | None:
    """The period_key of a period label such as "Q1 2027" or "maart 2027" (None if unknown)."""
    today = today or date.today()
    period = main_period(find_periods(normalise(label), today), today)
    return period.key if period else None
