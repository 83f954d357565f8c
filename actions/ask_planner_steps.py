"""action_ask_plan_*: the six planner questions, with the report's tips and method buttons."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, searcher, send
from knowledge.answers import Reply
from knowledge.planning import PlanState, suggested_indicators

SLOTS = (
    "plan_problem",
    "plan_priorities",
    "plan_current",
    "plan_goal",
    "plan_methods",
    "plan_monitoring",
)
EXTRA = {
    "plan_problem": "Beschrijf in je eigen woorden wat er speelt, waar en bij wie.",
    "plan_priorities": "Noem het belangrijkste probleem, of de twee belangrijkste.",
    "plan_current": "Noem de maatregelen en partners die al bezig zijn, en waarom dat nog niet genoeg is.",
    "plan_goal": (
        "Maak je doel SMART: wat, waar, hoeveel en wanneer. Bijvoorbeeld: 'Het aantal "
        "winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.'"
    ),
    "plan_methods": "Kies een of meer methoden, of noem je eigen maatregelen.",
    "plan_monitoring": (
        "Noem een indicator, een bron (bijvoorbeeld politiecijfers of een veiligheidsmonitor) en "
        "wanneer je evalueert."
    ),
}


def question(slot: str, tracker: Tracker) -> Reply:
    step = catalogue().planner.steps[SLOTS.index(slot)]
    reply = Reply(
        f"Vraag {step.number} van 6 - {step.question}\n{EXTRA[slot]}\nTip: {step.tips[0]}"
    )
    if slot == "plan_methods":
        state = PlanState.from_dict(tracker.get_slot("plan_state"))
        query = " ".join(
            filter(None, [tracker.get_slot("plan_priorities"), tracker.get_slot("plan_problem")])
        )
        result = searcher().search(query or "lokale veiligheid", top=3)
        chosen = [m for m in [tracker.get_slot("method")] if m in catalogue().methods]
        options = list(dict.fromkeys(chosen + [h.id for h in result.hits]))[:4]
        if options:
            names = "; ".join(catalogue().get(m).name for m in options)
            reply.text += f"\nPassend bij jouw probleem: {names}."
        for method_id in options:
            method = catalogue().get(method_id)
            reply.add_button(method.short_name, "inform", method=method_id)
        if state.current_methods:
            reply.text += (
                "\nJe werkt al met: "
                + ", ".join(catalogue().get(m).name for m in state.current_methods)
                + "."
            )
    if slot == "plan_monitoring":
        state = PlanState.from_dict(tracker.get_slot("plan_state"))
        ideas = suggested_indicators(catalogue(), state.problems, limit=2)
        reply.text += "\nIdeeën: " + "; ".join(f"{i} ({src.lower()})" for i, src in ideas) + "."
    return reply


class _AskStep(Action, ABC):
    """Asks the question of one planner slot; abstract, so rasa-sdk registers only the steps."""

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        send(dispatcher, question(self.slot, tracker))
        return []


class AskPlanProblem(_AskStep):
    slot = "plan_problem"


class AskPlanPriorities(_AskStep):
    slot = "plan_priorities"


class AskPlanCurrent(_AskStep):
    slot = "plan_current"


class AskPlanGoal(_AskStep):
    slot = "plan_goal"


class AskPlanMethods(_AskStep):
    slot = "plan_methods"


class AskPlanMonitoring(_AskStep):
    slot = "plan_monitoring"
