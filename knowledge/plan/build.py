"""Assemble a plan van aanpak from the planner's answers, the plan state and the catalogue."""

from __future__ import annotations

from datetime import date

from knowledge.catalogue import Catalogue
from knowledge.plan.files import new_plan_id
from knowledge.plan.model import MethodSection, Plan
from knowledge.planning import PlanState, suggested_indicators

REPORT = (
    "Seinpost Adviesbureau (2008). Doordacht werken aan lokale veiligheid - Quick Scan van "
    "veiligheidsmethoden. Arnhem: in opdracht van het Centrum voor Criminaliteitspreventie en "
    "Veiligheid (CCV)."
)


def build_plan(
    catalogue: Catalogue,
    answers: dict[str, str | None],
    state: PlanState,
    today: date | None = None,
) -> Plan:
    """The plan from the planner's answers (by slot) and state; ``today`` dates it."""
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
        created=(today or date.today()).isoformat(),
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
