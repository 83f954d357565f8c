"""One goal reader: what the SMART check calls measurable, monitoring can measure."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.goals import parse_goals, progress
from knowledge.goals.goals import read_goal
from knowledge.nl.lexicon import lexicon_for
from knowledge.planning import check_smart

TODAY = date(2027, 5, 10)
GOALS = [
    "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
    "Binnen twee jaar 25% minder woninginbraken in de wijk Noord",
    "Eind 2026 is de jeugdoverlast bij het station gehalveerd",
    "uiterlijk december volgend jaar maximaal 10 meldingen van drugsoverlast in de binnenstad",
    "In 2028 daalt het aantal inbraken in de wijk van 60 naar 40",
    "In 2027 zijn er 10 inbraken minder in de wijk Oost",
    "In 2027 geen enkele overval meer in het winkelcentrum",
    "Eind 2027 doet minimaal de helft van de winkels in het centrum mee aan het keurmerk",
    # digits that are only a year or a date: nothing to measure progress against
    "Minder inbraken in de wijk in 2027",
    "Voor 1 juli 2027 is de overlast in het park aangepakt",
    "In 2027 voelen bewoners van de wijk zich veiliger",
]


@pytest.fixture(scope="module")
def lexicon():
    return lexicon_for(load_catalogue())


@pytest.mark.parametrize("text", GOALS)
def test_a_measurable_goal_always_has_a_number_for_progress(text, lexicon):
    check = check_smart(text, lexicon, today=TODAY)
    goals = parse_goals(text, lexicon, TODAY)
    assert check.measurable == bool(goals), (text, check, goals)
    for goal in goals:
        for values in ([("Q1 2027", 50.0)], [("2026", 60.0), ("Q1 2027", 50.0)]):
            assert "geen getal" not in progress(goal, values).text, (text, goal)


def test_a_year_alone_is_not_a_number_to_measure(lexicon):
    check = check_smart("Minder inbraken in de wijk in 2027", lexicon, today=TODAY)
    assert check.time_bound and not check.measurable


def test_no_single_robbery_is_a_target_of_zero(lexicon):
    (goal,) = parse_goals("In 2027 geen enkele overval meer in het winkelcentrum", lexicon, TODAY)
    assert goal.target == 0 and goal.direction == "down"
    assert progress(goal, [("2026", 4.0), ("Q1 2027", 2.0)]).share == pytest.approx(0.5)


def test_a_share_after_minimaal_is_a_target_in_percent(lexicon):
    text = "Eind 2027 doet minimaal een derde van de winkels in het centrum mee aan het keurmerk"
    (goal,) = parse_goals(text, lexicon, TODAY)
    assert goal.target == pytest.approx(33.33) and goal.direction == "up"


def test_the_reading_uses_the_given_today(lexicon):
    text = "Dit jaar maximaal 40 inbraken in de wijk"
    assert read_goal(text, lexicon, TODAY).deadline == "2027"
    assert read_goal(text, lexicon, date(2030, 1, 1)).deadline == "2030"
    assert read_goal(text, lexicon, TODAY).goals[0].target == 40
