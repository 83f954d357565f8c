"""Step 5 as a set of measures: the pure model, proposals from the catalogue, and the checks.

A measure says what is done, where it comes from (a catalogue method or "eigen maatregel"),
which priority problem it serves, who is responsible, from when to when (a month or a quarter)
and, optionally, with which means. The plan store keeps them (knowledge/sharing/measures.py);
this module has no storage and no Rasa: it turns text into measures and measures into the
"Wie doet wat" table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from knowledge.catalogue import Catalogue
from knowledge.goals.numbers import normalise
from knowledge.goals.periods import Period, find_periods
from knowledge.nl.lexicon import Lexicon
from knowledge.nl.text import fold
from knowledge.plan.model import WhoDoesWhat

OWN = "eigen maatregel"
PROPOSED, CONFIRMED, REJECTED = "voorgesteld", "bevestigd", "afgewezen"
STATUSES = (PROPOSED, CONFIRMED, REJECTED)
MUNICIPALITY = "gemeente"
#: how many steps of a method the chat offers as buttons at once
MAX_OPTIONS = 8
_SPLIT = re.compile(r"\s*(?:\n|;|,|\ben\b|\b\d[.)]\s)\s*")
_MEANS = re.compile(r"\b(?:budget|middelen|kosten|geld|uren|capaciteit)\b\s*:?\s*(.+)$", re.I)
_PRIORITY_NUMBER = re.compile(r"\bprioriteit\s*(\d)\b")
_MEASURE_NUMBER = re.compile(r"\b(?:maatregel|nummer|nr\.?)\s*(\d{1,3})\b")
# "de derde", "de 2e maatregel", "die vierde": an ordinal names a measure of the numbered list,
# unless a period follows it ("tweede kwartaal", "eerste helft 2027", "derde week").
ORDINAL_WORDS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende",
                 "achtste", "negende", "tiende", "elfde", "twaalfde")  # fmt: skip
_ORDINAL = re.compile(
    r"\b(?:(" + "|".join(ORDINAL_WORDS) + r")|(\d{1,2})\s*(?:e|ste|de))\b"
    r"(?!\s+(?:kwartaal|helft|halfjaar|half\s+jaar|week|maand|jaar)\b)"
)


@dataclass(frozen=True)
class Span:
    """From when to when a measure runs: labels as people write them ("Q2 2027")."""

    start: str
    end: str
    start_key: str  # ISO date of the start period's first day, for sorting and checks
    end_key: str

    @property
    def text(self) -> str:
        return self.start if self.start == self.end else f"{self.start} - {self.end}"


@dataclass
class Measure:
    """One measure of step 5 (plain data: the store's rows and the chat's draft)."""

    text: str
    origin: str = OWN  # a catalogue method id, or OWN
    priority: str = ""  # the priority problem it serves (one of step 2's priorities)
    responsible: str = ""  # who does it, as shown ("Politie", "Gemeente (regisseur)")
    party: str = ""  # the report's party key of the responsible, when known
    start: str = ""
    end: str = ""
    means: str = ""
    status: str = CONFIRMED
    proposed_by: str = ""
    number: int = 0  # its number in the plan ("maatregel 2"), 1..n in the order added
    pending_responsible: str = ""  # a partner offered to take it on; the owner decides
    pending_by: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def period(self) -> str:
        if not self.start:
            return "nog geen periode"
        return (
            self.start if self.start == self.end or not self.end else f"{self.start} - {self.end}"
        )


@dataclass(frozen=True)
class Proposal:
    """A step of a chosen method, offered as a measure with a proposed responsible party."""

    text: str
    origin: str  # method id
    method: str  # the method's short name
    party: str
    responsible: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (party key, label)


# --- text in -----------------------------------------------------------------------------------


def split_priorities(text: str | None) -> list[str]:
    """Step 2's answer as separate priorities: 'winkeldiefstal en overlast' -> two."""
    parts = [p.strip(" .-") for p in _SPLIT.split(text or "")]
    return [p for p in dict.fromkeys(parts) if len(p) >= 3][:5]


def _next_year_if_past(period: Period, today: date) -> tuple[str, str]:
    """A period written without a year that lies in the past means next year's."""
    if period.has_year or date.fromisoformat(period.key) >= date(today.year, today.month, 1):
        return period.label, period.key
    again = find_periods(normalise(re.sub(r"\d{4}$", str(today.year + 1), period.label)), today)
    return (again[0].label, again[0].key) if again else (period.label, period.key)


def _with_year(period: Period, year: str, today: date) -> Period:
    again = find_periods(normalise(re.sub(r"\d{4}$", year, period.label)), today)
    return again[0] if again else period


def parse_span(text: str, today: date | None = None) -> Span | None:
    """'maart 2027 tot juni 2027', 'Q2 2027', 'tweede kwartaal' -> a Span; None without one.

    Months and quarters are read by knowledge/goals/periods.py (one definition of month names).
    One period is both start and end. A later period without a year takes the first one's.
    """
    today = today or date.today()
    text = _MEANS.sub("", text)  # 'budget: 2000 euro' holds no year
    periods = [p for p in find_periods(normalise(text), today) if p.kind != "relative"]
    if not periods:
        return None
    first, last = periods[0], periods[-1] if len(periods) > 1 else periods[0]
    if first.kind == "month_range":  # "maart t/m juni 2027": one period that spans months
        months = find_periods(normalise(text.replace("t/m", " ").replace("tot", " ")), today)
        months = [p for p in months if p.kind == "month"]
        if len(months) >= 2:
            first, last = months[0], months[-1]
    if last is not first and not last.has_year and first.has_year:
        last = _with_year(last, first.label[-4:], today)
    if last is not first and not first.has_year and last.has_year:
        first = _with_year(first, last.label[-4:], today)
    start, start_key = _next_year_if_past(first, today)
    end, end_key = _next_year_if_past(last, today) if last is not first else (start, start_key)
    if end_key < start_key:
        return None
    return Span(start, end, start_key, end_key)


def measure_number(text: str, ordinals: bool = False) -> int | None:
    """'wij nemen maatregel 2 op ons' -> 2 (also a bare number, '#2' or 'nr 2').

    With ``ordinals`` also 'de derde' -> 3: for a command about a measure ('wij doen de derde'),
    not for the text of a new measure ('eerste hulp bij uitgaansgeweld').
    """
    folded = fold(text)
    found = _MEASURE_NUMBER.search(folded) or re.fullmatch(r"\s*#?(\d{1,3})\s*\.?\s*", folded)
    if found:
        return int(found.group(1))
    ordinal = _ORDINAL.search(folded) if ordinals else None
    if ordinal is None:
        return None
    word, digits = ordinal.groups()
    return ORDINAL_WORDS.index(word) + 1 if word else int(digits)


_PREFIX = re.compile(r"^\s*maatregel\s*(\d{1,3})\s*[:,-]?\s*(.*)$", re.I | re.S)


def measure_prefix(text: str) -> tuple[int | None, str]:
    """'maatregel 2: schouwen Q1 2027: 3' -> (2, 'schouwen Q1 2027: 3'): a measurement that
    follows a measure instead of the goal. Without the prefix: (None, text)."""
    found = _PREFIX.match(text or "")
    return (int(found.group(1)), found.group(2)) if found else (None, text)


def parse_means(text: str) -> str:
    found = _MEANS.search(text)
    return found.group(1).strip(" .") if found else ""


def named_party(text: str, lexicon: Lexicon) -> str | None:
    """The first of the report's parties named in ``text`` ('de politie' -> 'politie')."""
    return next((m.key for m in lexicon.find(text) if m.group == "parties"), None)


def priority_for(
    text: str, priorities: Sequence[str], lexicon: Lexicon, problems: Iterable[str] = ()
) -> str:
    """Which priority a measure serves: 'prioriteit 2', a priority's own words, the problem the
    method is made for, else the first priority."""
    if not priorities:
        return ""
    folded = fold(text)
    numbered = _PRIORITY_NUMBER.search(folded)
    if numbered and 1 <= int(numbered.group(1)) <= len(priorities):
        return priorities[int(numbered.group(1)) - 1]
    for priority in priorities:
        if fold(priority) in folded:
            return priority
    wanted = set(problems) | {m.key for m in lexicon.find(text) if m.group == "problems"}
    for priority in priorities:
        if wanted & {m.key for m in lexicon.find(priority) if m.group == "problems"}:
            return priority
    return priorities[0]


def default_span(today: date | None = None, quarters: int = 4) -> Span:
    """The next quarter until a year later: what the chat proposes when no period is given."""
    today = today or date.today()
    index = today.year * 4 + (today.month - 1) // 3 + 1
    last = index + quarters - 1
    start, end = (index // 4, index % 4 + 1), (last // 4, last % 4 + 1)
    return Span(
        f"Q{start[1]} {start[0]}",
        f"Q{end[1]} {end[0]}",
        date(start[0], 3 * start[1] - 2, 1).isoformat(),
        date(end[0], 3 * end[1] - 2, 1).isoformat(),
    )


# --- proposals from the catalogue -------------------------------------------------------------


def municipality_label(catalogue: Catalogue, role_keys: Sequence[str]) -> str:
    """'Gemeente (opdrachtgever)': the municipality with its first role in table 3.5."""
    label = catalogue.label("parties", MUNICIPALITY)
    if not role_keys:
        return label
    return f"{label} ({catalogue.label('roles', role_keys[0]).lower()})"


def proposals(catalogue: Catalogue, lexicon: Lexicon, method_ids: Sequence[str]) -> list[Proposal]:
    """The steps of the chosen methods as measures, each with a proposed responsible party.

    The party is one of the method's partners (table 3.6) that the step itself names; otherwise
    the municipality in its role for the method (table 3.5). The user can change it.
    """
    found: list[Proposal] = []
    for method_id in method_ids:
        method = catalogue.get(method_id)
        options = [(p, catalogue.label("parties", p)) for p in method.parties]
        for step in method.steps:
            named = named_party(step, lexicon)
            if named in method.parties and named != MUNICIPALITY:
                party, responsible = named, catalogue.label("parties", named)
            else:
                party, responsible = MUNICIPALITY, municipality_label(catalogue, method.roles)
            found.append(Proposal(step, method.id, method.short_name, party, responsible, options))
    return found


# --- the table and the checks -------------------------------------------------------------------

TABLE_HEADER = ("Nr", "Maatregel", "Verantwoordelijk", "Start - eind", "Dient", "Status")


def origin_label(catalogue: Catalogue, origin: str) -> str:
    return catalogue.get(origin).short_name if origin in catalogue.methods else OWN


def status_text(m: Measure) -> str:
    text = m.status
    if m.pending_responsible:
        text += f"; {m.pending_responsible} wil dit oppakken"
    return text


def table_rows(catalogue: Catalogue, measures: Sequence[Measure], goal: str = "") -> list[tuple]:
    """The 'Wie doet wat' rows: number, measure (with origin and proposer), responsible,
    start-end, the priority and goal it serves, status."""
    rows = []
    for m in measures:
        what = f"{m.text} ({origin_label(catalogue, m.origin)})"
        if m.proposed_by:
            what += f"; voorgesteld door {m.proposed_by}"
        if m.means:
            what += f"; middelen: {m.means}"
        serves = m.priority or "-"
        if goal and m.status != REJECTED:
            serves += " (doel stap 4)"
        rows.append((str(m.number), what, m.responsible or "-", m.period, serves, status_text(m)))
    return rows


def chat_lines(catalogue: Catalogue, measures: Sequence[Measure]) -> list[str]:
    """The table as a short list (web and Telegram): one line per measure."""
    lines = []
    for m in measures:
        line = f"{m.number}. {m.text} - {m.responsible or '?'}, {m.period}"
        if m.priority:
            line += f"; dient: {m.priority}"
        by = f"; voorgesteld door {m.proposed_by}" if m.proposed_by else ""
        lines.append(f"{line} [{status_text(m)}{by}]")
    return lines


@dataclass(frozen=True)
class Gaps:
    unserved: list[str]  # priorities no measure serves yet
    parties_without: list[str]  # labels of parties the chosen methods need that hold no measure


def gaps(
    catalogue: Catalogue,
    measures: Sequence[Measure],
    priorities: Sequence[str],
    method_ids: Sequence[str],
) -> Gaps:
    live = [m for m in measures if m.status != REJECTED]
    served = {fold(m.priority) for m in live}
    holding = {m.party for m in live} | {m.party for m in measures if m.pending_responsible}
    needed = catalogue.partners_and_roles(method_ids)["parties"] if method_ids else {}
    return Gaps(
        [p for p in priorities if fold(p) not in served],
        [catalogue.label("parties", p) for p in needed if p not in holding],
    )


def gap_lines(found: Gaps) -> list[str]:
    lines = []
    if found.unserved:
        lines.append("Nog geen maatregel voor: " + ", ".join(found.unserved) + ".")
    if found.parties_without:
        lines.append("Partners zonder maatregel: " + ", ".join(found.parties_without) + ".")
    return lines


def goal_link(goal: str, measures: Sequence[Measure]) -> str:
    """The SMART goal with the measures that serve it: 'Doel ... - maatregelen 1, 2, 4'."""
    numbers = [str(m.number) for m in measures if m.status != REJECTED]
    if not goal or not numbers:
        return ""
    return f"Het doel van stap 4 wordt gediend door maatregel {', '.join(numbers)}."


def who_does_what(
    catalogue: Catalogue,
    answers: dict,
    method_ids: Sequence[str],
    measures: Sequence[Measure],
    measured: dict[int, str] | None = None,
) -> WhoDoesWhat:
    """The 'Wie doet wat' section of a plan: the table rows, the chat list and the checks.

    ``answers`` are the planner's answers by slot (step 2's priorities, step 4's goal);
    ``measured`` the last measurement per measure number.
    """
    goal = str(answers.get("plan_goal") or "")
    priorities = split_priorities(str(answers.get("plan_priorities") or ""))
    lines = chat_lines(catalogue, measures)
    for i, m in enumerate(measures):
        if measured and m.number in measured:
            lines[i] += f" (laatste meting: {measured[m.number]})"
    return WhoDoesWhat(
        rows=table_rows(catalogue, measures, goal),
        lines=lines,
        checks=gap_lines(gaps(catalogue, measures, priorities, method_ids)),
        goal_link=goal_link(goal, measures),
    )
