"""The six steps of the Lokale Veiligheidsplanner, defined once in knowledge/data/planner.yml.

Everything that walks through the steps loops over ``STEPS``: the planner form (questions and
validation), the chat summaries, the Word headings, the labels and kinds of partners'
contributions, and the "stap N" patterns. A new step is one entry in the data file plus its
slot in bot/domain/planner.yml (tests/test_steps.py checks that the two agree).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from knowledge.schema import PlannerStep

PLANNER_FILE = Path(__file__).resolve().parent / "data" / "planner.yml"

#: a partner's contribution to a step of this kind is stored as it is ("bijdrage")
DIRECT = "bijdrage"


def load_steps(path: Path = PLANNER_FILE) -> tuple[PlannerStep, ...]:
    """The steps of the data file, validated, numbered 1..n in order, each slot once."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)["steps"]
    steps = tuple(PlannerStep.model_validate(item) for item in raw)
    numbers = [s.number for s in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise ValueError(f"{path}: stappen moeten 1..{len(steps)} op volgorde zijn, niet {numbers}")
    slots = [s.slot for s in steps]
    if len(set(slots)) != len(slots):
        raise ValueError(f"{path}: elk slot mag maar bij één stap horen: {slots}")
    return steps


STEPS: tuple[PlannerStep, ...] = load_steps()
COUNT = len(STEPS)
NUMBERS: tuple[int, ...] = tuple(s.number for s in STEPS)
SLOTS: tuple[str, ...] = tuple(s.slot for s in STEPS)
LABELS: dict[int, str] = {s.number: s.label for s in STEPS}
#: steps every participant adds to directly; on the others the owner decides
OPEN_STEPS: tuple[int, ...] = tuple(s.number for s in STEPS if s.partners == DIRECT)
#: a regular expression for one step number ("1" ... "6"), longest first
NUMBER_PATTERN = "(?:" + "|".join(sorted(map(str, NUMBERS), key=len, reverse=True)) + ")"
_NUMBER = re.compile(rf"{NUMBER_PATTERN}")


def step(number: int) -> PlannerStep:
    return STEPS[number - 1]


def by_slot(slot: str) -> PlannerStep:
    return STEPS[SLOTS.index(slot)]


def is_step_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def word_heading(s: PlannerStep) -> str:
    """The step's heading in the Word file: '1. Probleemanalyse - Wat is het probleem?'."""
    return f"{s.number}. {s.heading} - {s.question}"


def partner_choices() -> list[tuple[str, str]]:
    """(button title, payload) for the steps a partner can add to: direct steps first."""
    order = sorted(STEPS, key=lambda s: (s.partners != DIRECT, s.number))
    return [
        (f"{s.partner_button} (stap {s.number})", f"stap {s.number}")
        for s in order
        if s.partner_button
    ]
