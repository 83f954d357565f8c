"""The plan van aanpak as data: the six steps' answers, the chosen methods, the partners and,
for a shared plan, what the participants added. Built by ``build``, written by ``text`` (chat)
and knowledge/docx_export.py (Word)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class MethodSection:
    id: str
    name: str
    summary: str
    steps_label: str
    steps: list[str]
    parties: list[str]
    roles: list[str]


@dataclass
class Plan:
    id: str
    created: str
    problem: str
    recognised: dict[str, list[str]]
    priorities: str
    current: str
    goal: str
    goal_verdict: str
    measures: str
    methods: list[MethodSection]
    partners_table: list[tuple[str, list[str]]]  # party label, method names
    roles_table: list[tuple[str, list[str]]]
    monitoring: str
    indicators: list[tuple[str, str]]  # suggested (indicator, source) for the priorities
    evaluation_moments: list[str]
    pdca: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    shared: SharedSections | None = None
    who_does_what: WhoDoesWhat | None = None  # step 5's measures (knowledge/plan/measures.py)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SharedSections:
    """What a shared plan adds: who takes part, what they added, and the monitoring so far."""

    status: str
    participants: list[tuple[str, str, str, str]]  # name, organisation, party label, role
    contributions: dict[int, list[tuple[str, str, str, str]]]  # step -> (who, kind, text, date)
    involved: list[tuple[str, str]]  # recommended party label, who takes part for it
    not_involved: list[str]  # recommended party labels nobody takes part for
    other_parties: list[tuple[str, str]]  # parties taking part that the methods do not list
    measurements: list[tuple[str, str, str, str]]  # indicator, period, value, who
    progress: list[str]
    chart: str | None = None  # path of the progress plot (PNG)


@dataclass
class WhoDoesWhat:
    """Step 5's measures: the 'Wie doet wat' table, its chat list, and what is still missing."""

    rows: list[tuple[str, ...]]  # number, measure, responsible, start-end, serves, status
    lines: list[str]  # one line per measure, for the chat (a list in Telegram too)
    checks: list[str]  # priorities no measure serves, partners the methods need without one
    goal_link: str  # which measures serve the SMART goal of step 4
