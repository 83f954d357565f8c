"""The plan van aanpak as short chat text: one line per planner step."""

from __future__ import annotations

from knowledge.plan.model import Plan
from knowledge.steps import STEPS


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
