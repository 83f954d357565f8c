"""The draft 'plan van aanpak': assembled from the six planner answers, as Markdown and DOCX."""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from knowledge.catalogue import Catalogue
from knowledge.planning import PlanState, suggested_indicators
from knowledge.steps import STEPS

PLANS_DIR_SETTING = "METHODEWIJZER_PLANS_DIR"
DEFAULT_PLANS_DIR = Path(__file__).resolve().parents[1] / "data" / "plans"
_PLAN_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
REPORT = (
    "Seinpost Adviesbureau (2008). Doordacht werken aan lokale veiligheid - Quick Scan van "
    "veiligheidsmethoden. Arnhem: in opdracht van het Centrum voor Criminaliteitspreventie en "
    "Veiligheid (CCV)."
)


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

    code: str
    status: str
    participants: list[tuple[str, str, str, str]]  # name, organisation, party label, role
    contributions: dict[int, list[tuple[str, str, str, str]]]  # step -> (who, kind, text, date)
    involved: list[tuple[str, str]]  # recommended party label, who takes part for it
    not_involved: list[str]  # recommended party labels nobody takes part for
    other_parties: list[tuple[str, str]]  # parties taking part that the methods do not list
    measurements: list[tuple[str, str, str, str]]  # indicator, period, value, who
    progress: list[str]
    chart: str | None = None  # path of the progress plot (PNG)


def new_plan_id() -> str:
    """Unguessable id (128 bits), also the file name of the download."""
    return secrets.token_urlsafe(16)


def is_plan_id(value: str) -> bool:
    return bool(_PLAN_ID.match(value or ""))


def build_plan(catalogue: Catalogue, answers: dict[str, str | None], state: PlanState) -> Plan:
    vocab = catalogue.vocabulary
    recognised = {
        "Problemen": [vocab.problems[k].label for k in state.problems],
        "Omgeving": [vocab.settings[k].label for k in state.settings],
        "Doelgroepen": [vocab.target_groups[k].label for k in state.target_groups],
    }
    sections = []
    for method_id in state.methods:
        m = catalogue.get(method_id)
        sections.append(
            MethodSection(
                m.id,
                m.name,
                m.summary,
                m.steps_label,
                list(m.steps),
                [catalogue.label("parties", p) for p in m.parties],
                [catalogue.label("roles", r) for r in m.roles],
            )
        )
    table = catalogue.partners_and_roles(state.methods)
    name = {m: catalogue.get(m).short_name for m in state.methods}
    partners_table = [
        (catalogue.label("parties", p), [name[m] for m in ms]) for p, ms in table["parties"].items()
    ]
    roles_table = [
        (catalogue.label("roles", r), [name[m] for m in ms]) for r, ms in table["roles"].items()
    ]
    sources = [REPORT]
    for method_id in state.methods:
        sources += [
            f"{catalogue.get(method_id).name}: {link.label} ({link.url})"
            for link in catalogue.get(method_id).more_info
        ]
    return Plan(
        id=state.plan_id or new_plan_id(),
        created=date.today().isoformat(),
        problem=answers.get("plan_problem") or "",
        recognised={k: v for k, v in recognised.items() if v},
        priorities=answers.get("plan_priorities") or "",
        current=answers.get("plan_current") or "",
        goal=answers.get("plan_goal") or "",
        goal_verdict=state.goal_verdict,
        measures=answers.get("plan_methods") or "",
        methods=sections,
        partners_table=partners_table,
        roles_table=roles_table,
        monitoring=answers.get("plan_monitoring") or "",
        indicators=suggested_indicators(catalogue, state.problems),
        evaluation_moments=list(catalogue.planner.evaluation_moments),
        pdca=[(p.phase, p.explanation) for p in catalogue.planner.pdca],
        notes=list(state.notes),
        sources=list(dict.fromkeys(sources)),
    )


def step_answers(plan: Plan) -> dict[str, str]:
    """The plan's answer to each planner step, by slot, as the user gave it."""
    return {
        "plan_problem": plan.problem,
        "plan_priorities": plan.priorities,
        "plan_current": plan.current,
        "plan_goal": plan.goal,
        "plan_methods": plan.measures,
        "plan_monitoring": plan.monitoring,
    }


def method_names(plan: Plan) -> str:
    return ", ".join(s.name for s in plan.methods) or "nog geen methode gekozen"


def to_markdown(plan: Plan) -> str:
    """Short chat summary of the plan: one line per planner step."""
    texts = {slot: shorten(text) for slot, text in step_answers(plan).items()}
    if plan.goal_verdict:
        texts["plan_goal"] += f" ({plan.goal_verdict})"
    texts["plan_methods"] = method_names(plan)
    lines = ["**Plan van aanpak (concept)**"]
    lines += [f"{s.number}. {s.label}: {texts[s.slot]}" for s in STEPS]
    if plan.partners_table:
        lines.append("Partners: " + ", ".join(p for p, _ in plan.partners_table))
    return "\n".join(lines)


def shorten(text: str | None, limit: int = 160) -> str:
    """One line of at most ``limit`` characters for a chat summary; a placeholder when empty."""
    text = " ".join((text or "").split()) or "(nog niet ingevuld)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PlanStore:
    """Plans as JSON and DOCX files under the data directory (survive a restart)."""

    def __init__(self, root: Path | None = None):
        self.root = root or Path(os.environ.get(PLANS_DIR_SETTING, DEFAULT_PLANS_DIR))

    def save(self, plan: Plan) -> Path:
        from knowledge.docx_export import write_docx

        self.root.mkdir(parents=True, exist_ok=True)
        json_path = self.root / f"{plan.id}.json"
        tmp = json_path.with_suffix(f".{secrets.token_hex(4)}.tmp")  # one per writer
        tmp.write_text(json.dumps(plan.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(json_path)
        return write_docx(plan, self.root / f"{plan.id}.docx")

    def docx_path(self, plan_id: str) -> Path | None:
        if not is_plan_id(plan_id):
            return None
        path = self.root / f"{plan_id}.docx"
        return path if path.is_file() else None

    def chart_path(self, plan_id: str) -> Path | None:
        """Where the progress plot of a plan goes (None for an id that is not a plan id)."""
        return self.root / f"{plan_id}.png" if is_plan_id(plan_id) else None

    def existing_chart(self, plan_id: str) -> Path | None:
        path = self.chart_path(plan_id)
        return path if path is not None and path.is_file() else None

    def remove(self, plan_id: str) -> None:
        """Delete a plan's files (old download links of a shared plan stop working)."""
        if is_plan_id(plan_id):
            for suffix in (".json", ".docx", ".png"):
                (self.root / f"{plan_id}{suffix}").unlink(missing_ok=True)

    def load(self, plan_id: str) -> dict | None:
        if not is_plan_id(plan_id):
            return None
        path = self.root / f"{plan_id}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
