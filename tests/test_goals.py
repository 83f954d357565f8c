"""One goal reader: what the SMART check calls measurable, monitoring can measure."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.goals import Goal, parse_goals, progress
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


# --- goals ---------------------------------------------------------------------------------


def only_goal(text, lexicon) -> Goal:
    goals = parse_goals(text, lexicon, TODAY)
    assert len(goals) == 1, goals
    return goals[0]


@pytest.mark.parametrize(
    ("text", "direction", "baseline", "target", "relative", "deadline", "word"),
    [
        (
            "Het aantal woninginbraken in Noord daalt van 60 naar 40 in 2027.",
            "down",
            60,
            40,
            None,
            "2027",
            "woninginbraak",
        ),
        (
            "Eind 2027 daalt het aantal inbraken van 60 naar maximaal 40",
            "down",
            60,
            40,
            None,
            "eind 2027",
            "woninginbraak",
        ),
        (
            "Met 20% minder winkeldiefstallen in het centrum eind 2027",
            "down",
            None,
            None,
            0.2,
            "eind 2027",
            "winkeldiefstal",
        ),
        (
            "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
            "down",
            None,
            None,
            0.2,
            "2027",
            "winkeldiefstal",
        ),
        (
            "De jeugdoverlast in de wijk daalt met 25 procent voor eind 2026",
            "down",
            None,
            None,
            0.25,
            "eind 2026",
            "overlast_jeugd",
        ),
        (
            "Eind 2026 is de jeugdoverlast bij het station gehalveerd",
            "down",
            None,
            None,
            0.5,
            "eind 2026",
            "jeugdoverlast",
        ),
        (
            "We willen de drugsoverlast in de binnenstad halveren binnen twee jaar",
            "down",
            None,
            None,
            0.5,
            "binnen twee jaar",
            "drugsoverlast",
        ),
        (
            "Het aantal meldingen van drugsoverlast gaat naar hooguit 30 per jaar in 2028",
            "down",
            None,
            30,
            None,
            "2028",
            "drugsoverlast",
        ),
        (
            "Het veiligheidsgevoel in Kanaleneiland stijgt van 6,2 naar 7 in 2027",
            "up",
            6.2,
            7,
            None,
            "2027",
            None,
        ),
        ("Het veiligheidsgevoel stijgt naar 7 in 2027", "up", None, 7, None, "2027", None),
        (
            "Uiterlijk december volgend jaar maximaal 10 meldingen van drugsoverlast per maand",
            "down",
            None,
            10,
            None,
            "uiterlijk december volgend jaar",
            "drugsoverlast",
        ),
        (
            "Het slachtofferschap daalt van 15% naar 12% in 2027.",
            "down",
            15,
            12,
            None,
            "2027",
            "slachtofferschap",
        ),
        (
            "Binnen twee jaar 25% minder woninginbraken in de wijk Noord",
            "down",
            None,
            None,
            0.25,
            "binnen twee jaar",
            "woninginbraak",
        ),
        (
            "Het aantal meldingen over hangjongeren is eind 2027 niet meer dan 25 per kwartaal",
            "down",
            None,
            25,
            None,
            "eind 2027",
            "overlast_jeugd",
        ),
        (
            "Uiterlijk Q4 2027 voelt minimaal 75% van de ondernemers zich veilig",
            "up",
            None,
            75,
            None,
            "uiterlijk Q4 2027",
            "ondernemer",
        ),
        (
            "Het aantal vernielingen neemt in 2027 met een derde af ten opzichte van 2025",
            "down",
            None,
            None,
            1 / 3,
            "2027",
            "openbare_ruimte",
        ),
        (
            "Winkeldiefstallen in de binnenstad -15% in 2027",
            "down",
            None,
            None,
            0.15,
            "2027",
            "winkeldiefstal",
        ),
        (
            "In 2027 is het aantal deelnemers aan buurtpreventie verdubbeld",
            "up",
            None,
            None,
            1.0,
            "2027",
            "deelnemer",
        ),
    ],
)
def test_parse_goal(text, direction, baseline, target, relative, deadline, word, lexicon):
    goal = only_goal(text, lexicon)
    assert goal.direction == direction
    assert goal.baseline == baseline
    assert goal.target == target
    assert goal.relative == pytest.approx(relative) if relative else goal.relative is None
    assert goal.deadline == deadline
    if word:
        assert word in goal.indicator_words, goal.indicator_words


def test_goal_text_split_in_parts(lexicon):
    text = (
        "1. Het aantal woninginbraken daalt van 60 naar 40 in 2027.\n"
        "2. We zetten extra boa's in bij het station.\n"
        "3. Het veiligheidsgevoel stijgt naar 7; winkeldiefstallen -20% t.o.v. 2025"
    )
    goals = parse_goals(text, lexicon, TODAY)
    assert [g.target for g in goals] == [40, 7, None]
    assert goals[2].relative == pytest.approx(0.2)
    assert goals[1].direction == "up"
    # parts without a deadline take the one of the whole text
    assert goals[1].deadline == "2027"


def test_two_goals_in_one_sentence(lexicon):
    goals = parse_goals(
        "Vernielingen in het park dalen in 2027 met 30% en het veiligheidsgevoel stijgt naar 7",
        lexicon,
    )
    assert [(g.relative, g.target) for g in goals] == [(0.3, None), (None, 7)]
    assert [g.direction for g in goals] == ["down", "up"]


def test_baseline_from_the_previous_sentence(lexicon):
    goal = only_goal("Het aantal inbraken in Noord is nu 60. Dat moet eind 2027 naar 40.", lexicon)
    assert (goal.baseline, goal.target, goal.direction) == (60, 40, "down")
    assert "woninginbraak" in goal.indicator_words


def test_absolute_change(lexicon):
    goal = only_goal("In 2027 zijn er 10 inbraken minder dan in 2025.", lexicon)
    assert goal.change == -10 and goal.direction == "down"


def test_direction_follows_baseline_and_target(lexicon):
    goal = only_goal("Het aantal incidenten in het uitgaansgebied gaat van 80 naar 50", lexicon)
    assert goal.direction == "down"


def test_no_measurable_goal(lexicon):
    assert parse_goals("Minder overlast in de wijk.", lexicon, TODAY) == []
    assert parse_goals("We plaatsen camera's bij het station in 2027.", lexicon, TODAY) == []
    assert parse_goals("", lexicon, TODAY) == []


def test_progress_label_from_goal_text(lexicon):
    g = only_goal("Het aantal winkeldiefstallen in het centrum daalt met 20% in 2027", lexicon)
    assert progress(g, [("2026", 60), ("2027", 50)]).text.startswith("Winkeldiefstallen: 50")
