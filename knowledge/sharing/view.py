"""The shared plan as every participant sees it: chat summary, DOCX sections, news, progress.

Built from the store's typed records (PlanInfo, ParticipantInfo, ContributionInfo,
MeasurementInfo) and the catalogue; no storage and no Rasa here. The join code belongs to the
owner: it is never part of the shared document, and only the owner's chat view shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from knowledge.catalogue import Catalogue
from knowledge.goals import match_goal, number_text, parse_goals, progress, series_text
from knowledge.nl.dates import MONTH_NAMES
from knowledge.nl.lexicon import Lexicon
from knowledge.plan.build import build_plan
from knowledge.plan.model import Plan, SharedSections
from knowledge.plan.text import method_names, shorten, step_answers
from knowledge.planning import PlanState
from knowledge.sharing.contribute import KIND_LABELS, STEP_LABELS
from knowledge.sharing.records import ContributionInfo, MeasurementInfo, ParticipantInfo, PlanInfo
from knowledge.steps import STEPS

ROLE_LABELS = {"owner": "eigenaar", "partner": "partner"}
OTHER_PARTY = "anders"  # brandweer, Halt, buurtteam ...: not one of the report's parties
MEASUREMENT_FORMAT = (
    "Schrijf een meting zo: wat je telde, de periode en het getal. Bijvoorbeeld: "
    "'winkeldiefstallen Q1 2027: 42' of 'woninginbraken maart: 12'."
)


def party_label(catalogue: Catalogue, key: str) -> str:
    return catalogue.label("parties", key) if key in catalogue.vocabulary.parties else "onbekend"


def who(participant: ParticipantInfo) -> str:
    """'Jan (Politie Midden-Nederland)'; the owner without a profile is 'de eigenaar'."""
    name = participant.name or ("de eigenaar" if participant.role == "owner" else "een partner")
    return f"{name} ({participant.organisation})" if participant.organisation else name


@dataclass
class PartyCheck:
    """The report's recommended parties for the chosen methods against who actually takes part."""

    involved: list[tuple[str, str]] = field(default_factory=list)
    not_involved: list[str] = field(default_factory=list)
    others: list[tuple[str, str]] = field(default_factory=list)


def party_check(
    catalogue: Catalogue, method_ids: Sequence[str], participants: Sequence[ParticipantInfo]
) -> PartyCheck:
    recommended = list(catalogue.partners_and_roles(method_ids)["parties"]) if method_ids else []
    taking_part: dict[str, list[str]] = {}
    for p in participants:
        if p.party:
            taking_part.setdefault(p.party, []).append(who(p))
    check = PartyCheck()
    for key in recommended:
        if key in taking_part:
            check.involved.append((party_label(catalogue, key), ", ".join(taking_part[key])))
        else:
            check.not_involved.append(party_label(catalogue, key))
    for key, names in taking_part.items():
        if key not in recommended:
            check.others.append((party_label(catalogue, key), ", ".join(names)))
    return check


@dataclass
class ProgressReport:
    lines: list[str]
    series: dict[str, list[tuple[str, float]]]  # indicator -> (period, value) in period order
    targets: dict[str, float | None]


def progress_report(
    goal_text: str, measurements: Sequence[MeasurementInfo], lexicon: Lexicon
) -> ProgressReport:
    """Progress per indicator measured; measured indicators are matched to the plan's goals."""
    goals = parse_goals(goal_text or "", lexicon)
    series: dict[str, list[tuple[str, float]]] = {}
    for m in sorted(measurements, key=lambda m: (m.period_key, m.id)):
        series.setdefault(m.indicator, []).append((m.period, m.value))
    lines: list[str] = []
    targets: dict[str, float | None] = {}
    for indicator, values in series.items():
        goal = match_goal(goals, indicator, lexicon)
        if goal is None:
            lines.append(series_text(indicator, values))
            targets[indicator] = None
            continue
        result = progress(goal, values)
        lines.append(result.text)
        targets[indicator] = result.target
    return ProgressReport(lines, series, targets)


def shared_plan(
    catalogue: Catalogue,
    info: PlanInfo,
    participants: Sequence[ParticipantInfo],
    contributions: Sequence[ContributionInfo],
    measurements: Sequence[MeasurementInfo],
    report: ProgressReport,
    chart: Path | None = None,
) -> Plan:
    """The owner's plan plus everyone's contributions, the party check and the monitoring."""
    state = PlanState.from_dict(info.state)
    plan = build_plan(catalogue, info.answers or {}, state)
    plan.id = info.doc_token
    plan.created = info.created_at.date().isoformat()
    by_step: dict[int, list[tuple[str, str, str, str]]] = {}
    for c in contributions:
        author = f"{c.author} ({c.organisation})" if c.organisation else c.author
        by_step.setdefault(c.step, []).append(
            (author, KIND_LABELS.get(c.kind, c.kind), c.text, c.created_at.date().isoformat())
        )
    check = party_check(catalogue, state.methods, participants)
    plan.shared = SharedSections(
        status=info.status,
        participants=[
            (
                p.name or "-",
                p.organisation or "-",
                party_label(catalogue, p.party) if p.party else "-",
                ROLE_LABELS.get(p.role, p.role),
            )
            for p in participants
        ],
        contributions=by_step,
        involved=check.involved,
        not_involved=check.not_involved,
        other_parties=check.others,
        measurements=[
            (m.indicator, m.period, number_text(m.value), m.author or "-") for m in measurements
        ],
        progress=report.lines,
        chart=str(chart) if chart else None,
    )
    return plan


def summary_text(plan: Plan, owner_notes: Sequence[str] = ()) -> str:
    """Chat summary of a shared plan: the six steps, the partners' input and the party check.

    ``owner_notes`` (the join code, a pause of joining) are shown to the owner only.
    """
    shared = plan.shared
    assert shared is not None
    methods = method_names(plan)
    texts = step_answers(plan)
    texts["plan_methods"] = methods if not plan.measures else f"{methods}. {plan.measures}"
    core = [(s.number, texts[s.slot]) for s in STEPS]
    status = " (gesloten)" if shared.status == "closed" else ""
    lines = [f"**Gezamenlijk plan{status}**", *owner_notes]
    for step, text in core:
        lines.append(f"{step}. {STEP_LABELS[step]}: {shorten(text, 140)}")
        for author, kind, body, _day in shared.contributions.get(step, [])[-3:]:
            lines.append(f"   + {author}, {kind}: {shorten(body, 100)}")
        hidden = len(shared.contributions.get(step, [])) - 3
        if hidden > 0:
            lines.append(f"   (+ {hidden} eerdere, zie het Word-bestand)")
    names = ", ".join(f"{n} ({party})" for n, _org, party, _role in shared.participants)
    lines.append(f"Deelnemers: {names}")
    if shared.not_involved:
        lines.append("Nog niet betrokken: " + ", ".join(shared.not_involved) + ".")
    elif shared.involved:
        lines.append("Alle partijen die de gekozen methoden noemen, doen mee.")
    if shared.progress:
        lines.append("Voortgang: " + " ".join(shared.progress))
    if plan.who_does_what and plan.who_does_what.lines:
        lines += ["Wie doet wat:", *plan.who_does_what.lines, *plan.who_does_what.checks]
    return "\n".join(lines)


def news_text(
    contributions: Sequence[ContributionInfo], measurements: Sequence[MeasurementInfo]
) -> str:
    """What others added since the reader last asked."""
    lines = []
    for c in contributions[-10:]:
        kind = KIND_LABELS.get(c.kind, c.kind)
        lines.append(
            f"- {c.author}, stap {c.step} ({STEP_LABELS[c.step]}), {kind}: {shorten(c.text)}"
        )
    for m in measurements[-10:]:
        lines.append(f"- {m.author}, meting: {m.indicator} {m.period}: {number_text(m.value)}")
    hidden = max(0, len(contributions) - 10) + max(0, len(measurements) - 10)
    if hidden:
        lines.append(f"(en nog {hidden} oudere; zie het plan)")
    return "\n".join(lines)


def share_text(code: str, expires: datetime) -> str:
    """The owner's join code and how partners use it."""
    return (
        f"De deelcode van je plan is {code}. Geef die aan je partners (bijvoorbeeld politie, "
        f"ondernemers of jongerenwerk). Zij typen: 'ik wil meedoen met plan {code}'. "
        "Iedereen ziet daarna hetzelfde plan en kan aanvullen; jij beslist over prioriteiten, "
        f"doelen en methoden. Alleen jij ziet deze code. Hij werkt tot {day(expires)}; "
        "zeg 'nieuwe deelcode' voor een nieuwe."
    )


def code_note(code: str, expires: datetime) -> str:
    return f"Deelcode (alleen voor jou): {code}, geldig tot {day(expires)}."


PAUSED_NOTE = (
    "Let op: er is vaak een verkeerde deelcode geprobeerd. Meedoen met je plan is daarom even "
    "gepauzeerd. Zeg 'nieuwe deelcode' om een nieuwe code te maken; de oude werkt dan niet meer."
)


def day(moment: datetime) -> str:
    """'2 januari 2027'."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def saved_text(saved: ContributionInfo) -> str:
    """The confirmation after a contribution was stored."""
    note = ""
    if saved.kind in ("voorstel", "opmerking"):
        note = " De eigenaar beslist over prioriteiten, doelen en methoden."
    return (
        f"Opgeslagen in het plan als {KIND_LABELS[saved.kind]} bij stap {saved.step} "
        f"({STEP_LABELS[saved.step]}).{note} De andere deelnemers zien het bij 'wat hebben "
        "anderen toegevoegd?'."
    )
