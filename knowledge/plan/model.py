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
