"""How far a plan is on the way to its goal, in one Dutch B1 sentence per goal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.goals.goals import GENERIC, Goal
from knowledge.goals.numbers import number_text
from knowledge.nl.text import fold, stem


@dataclass
class Progress:
    goal: Goal
    baseline: float | None
    latest: float | None
    latest_period: str | None
    target: float | None  # absolute
    share: float | None  # part of the way from baseline to target; negative = wrong way
    reached: bool
    text: str


def progress(goal: Goal, values: list[tuple[str, float]], indicator: str | None = None) -> Progress:
    """How far the latest measurement is on the way from the baseline to the goal."""
    label = _label(indicator or _goal_label(goal))
    baseline = goal.baseline if goal.baseline is not None else (values[0][1] if values else None)
    target = goal.target
    if target is None and baseline is not None:
        if goal.relative is not None:
            sign = -1 if goal.direction == "down" else 1
            target = round(baseline * (1 + sign * goal.relative), 2)
        elif goal.change is not None:
            target = round(baseline + goal.change, 2)
    direction = goal.direction
    if goal.baseline is not None and goal.target is not None and goal.baseline != goal.target:
        direction = "down" if goal.target < goal.baseline else "up"
    if not values:
        text = f"{label}: nog geen metingen."
        if target is not None:
            text += f" Doel: {number_text(target)}."
        return Progress(goal, baseline, None, None, target, None, False, text)

    period, latest = values[-1]
    share = None
    if baseline is not None and target is not None and target != baseline:
        share = (latest - baseline) / (target - baseline)
    reached = target is not None and (latest <= target if direction == "down" else latest >= target)
    head = f"{label}: {number_text(latest)} in {period}."
    if target is None:
        text = f"{head} Je doel heeft geen getal, dus ik kan de voortgang niet berekenen."
    else:
        start = f"Start {number_text(baseline)}, doel {number_text(target)}"
        first = goal.baseline is None and len(values) == 1
        if reached:
            text = f"{head} {start}: doel bereikt!"
        elif first:
            text = f"{head} Dit is je startmeting. Doel: {number_text(target)}."
        elif share is None or abs(share) < 0.005:
            text = f"{head} {start}: nog geen verandering sinds de start."
        elif share > 0:
            text = f"{head} {start}: je bent {round(share * 100)}% op weg."
        else:
            text = f"{head} {start}: {round(-share * 100)}% verder van het doel dan bij de start."
    return Progress(goal, baseline, latest, period, target, share, reached, text)


def series_text(indicator: str, values: list[tuple[str, float]]) -> str:
    """For an indicator without a goal: only the measurements."""
    text = f"Nog geen doel voor '{indicator}': ik laat alleen de metingen zien."
    if values:
        period, latest = values[-1]
        text += f" Laatste meting: {number_text(latest)} in {period}."
    return text


def _label(indicator: str) -> str:
    indicator = indicator.strip()
    return indicator[:1].upper() + indicator[1:] if indicator else "Meting"


def _goal_label(goal: Goal) -> str:
    """A readable name for the goal's indicator: the first written word behind its stems."""
    specific = [w for w in goal.indicator_words if w not in GENERIC and "_" not in w]
    for word in re.findall(r"[\w-]+", fold(goal.text)):
        if stem(word.replace("-", "")) in specific:
            return word
    keys = [w.replace("_", " ") for w in goal.indicator_words if w not in GENERIC]
    return (specific or keys or ["meting"])[0]
