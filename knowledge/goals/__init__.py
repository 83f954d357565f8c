"""Monitoring a plan: periods, numbers, the one goal reader, measurements and progress.

Officials type measurements the way they write them in a report ("winkeldiefstallen Q1 2027:
42"). ``periods`` and ``numbers`` read the parts; ``goals`` reads the measurable goals of a plan
(also for the planner's SMART check); ``measurements`` reads a typed measurement and finds its
goal; ``progress`` says how far along a goal is. No Rasa here.
"""

from knowledge.goals.goals import Goal, parse_goals
from knowledge.goals.measurements import MeasurementInput, match_goal, parse_measurement
from knowledge.goals.numbers import number_text
from knowledge.goals.periods import period_sort_key
from knowledge.goals.progress import Progress, progress, series_text

__all__ = [
    "Goal",
    "MeasurementInput",
    "Progress",
    "match_goal",
    "number_text",
    "parse_goals",
    "parse_measurement",
    "period_sort_key",
    "progress",
    "series_text",
]
