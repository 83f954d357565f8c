"""A plan still being drafted: the planner is not finished, so the store has no plan yet.

The planner keeps its answers in the conversation until the last question; only then is the plan
saved (SharingService.save_owned). Until then 'mijn plannen' lists it as a concept ("nog bezig"),
with how far the user is and the name it will get, so that a user with several plans does not
think the half-finished one is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from knowledge.planning import PlanState
from knowledge.steps import COUNT, SLOTS


@dataclass(frozen=True)
class Draft:
    """The plan the sender is drafting now: its future name and how many steps are answered."""

    name: str
    answered: int
    active: bool = False  # the planner is asking its questions right now
    total: int = COUNT

    @property
    def title(self) -> str:
        """The button text: 'Winkelcentrum Zuid (concept)'."""
        return f"{self.name} (concept)"

    @property
    def line(self) -> str:
        """'Winkelcentrum Zuid (concept): nog bezig, 2 van 6 vragen beantwoord (nu gekozen)'."""
        mark = " (nu gekozen)" if self.active else ""
        return f"{self.title}: nog bezig, {self.answered} van {self.total} vragen beantwoord{mark}"


def draft_of(
    answers: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    planning: bool,
    name_for: Callable[[dict[str, Any], datetime], str],
    now: datetime,
) -> Draft | None:
    """The sender's unfinished plan, if any.

    A draft is a planner that is running (``planning``) or has answers, for a plan that is not
    saved yet: a plan id in the planner's state means the plan is in the store (an owner going
    back to change an answer of a saved plan), and the store's list shows it already.
    """
    if PlanState.from_dict(dict(state or {})).plan_id:
        return None
    given = {slot: answers.get(slot) for slot in SLOTS if answers.get(slot) not in (None, "")}
    if not given and not planning:
        return None
    return Draft(name=name_for(given, now), answered=len(given), active=planning)
