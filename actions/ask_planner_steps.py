"""action_ask_plan_*: the planner questions (knowledge/steps.py), with tips and method buttons.

One ask action per step, made from the step data; steps 5 and 6 add suggestions of their own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, searcher, send
from knowledge.answers import Reply
from knowledge.planning import PlanState, suggested_indicators
from knowledge.steps import COUNT, STEPS, by_slot


def _method_options(reply: Reply, tracker: Tracker) -> None:
    """Step 5: methods that fit the problem as buttons, and the methods already in use."""
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


def _indicator_ideas(reply: Reply, tracker: Tracker) -> None:
    """Step 6: suggested indicators for the plan's problems."""
    state = PlanState.from_dict(tracker.get_slot("plan_state"))
    ideas = suggested_indicators(catalogue(), state.problems, limit=2)
    reply.text += "\nIdeeën: " + "; ".join(f"{i} ({src.lower()})" for i, src in ideas) + "."


#: what a step adds to its question besides the data's question, hint and first tip
_SUGGESTIONS: dict[str, Callable[[Reply, Tracker], None]] = {
    "plan_methods": _method_options,
    "plan_monitoring": _indicator_ideas,
}


def question(slot: str, tracker: Tracker) -> Reply:
    step = by_slot(slot)
    reply = Reply(
        f"Vraag {step.number} van {COUNT} - {step.question}\n{step.hint}\nTip: {step.tips[0]}"
    )
    suggest = _SUGGESTIONS.get(slot)
    if suggest:
        suggest(reply, tracker)
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


def _ask_class(slot: str) -> type[_AskStep]:
    """AskPlanProblem for plan_problem, and so on; rasa-sdk registers every subclass."""
    name = "Ask" + "".join(part.title() for part in slot.split("_"))
    return type(name, (_AskStep,), {"slot": slot, "__module__": __name__})


ASK_ACTIONS: tuple[type[_AskStep], ...] = tuple(_ask_class(step.slot) for step in STEPS)
# The action server's Sanic worker receives the registered actions by pickling, which finds a
# class by its module and name: without these names the action server cannot start.
globals().update({cls.__name__: cls for cls in ASK_ACTIONS})
