"""Measurements, matching them to goals, and progress, as officials type them (goals: test_goals)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.goals import (
    Goal,
    MeasurementInput,
    match_goal,
    parse_goals,
    parse_measurement,
    period_sort_key,
    progress,
    series_text,
)
from knowledge.nl.lexicon import lexicon_for

TODAY = date(2027, 5, 10)


@pytest.fixture(scope="module")
def lexicon():
    return lexicon_for(load_catalogue())


# --- measurements --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "indicator", "period", "key", "value"),
    [
        ("winkeldiefstallen Q1: 42", "winkeldiefstallen", "Q1 2027", "2027-01-01", 42),
        ("winkeldiefstallen Q1 2027: 42", "winkeldiefstallen", "Q1 2027", "2027-01-01", 42),
        ("meting: 35 inbraken in Q2 2027", "inbraken", "Q2 2027", "2027-04-01", 35),
        ("aantal woninginbraken in maart: 12", "woninginbraken", "maart 2027", "2027-03-01", 12),
        (
            "in 2026 waren er 130 meldingen jeugdoverlast",
            "meldingen jeugdoverlast",
            "2026",
            "2026-01-01",
            130,
        ),
        ("Q3 — meldingen overlast: 17", "meldingen overlast", "Q3 2027", "2027-07-01", 17),
        ("score veiligheidsgevoel 2027 = 6,8", "veiligheidsgevoel", "2027", "2027-01-01", 6.8),
        ("slachtofferschap 12% in 2026", "slachtofferschap", "2026", "2026-01-01", 12),
        ("week 12: 5 fietsendiefstallen", "fietsendiefstallen", "week 12 2027", "2027-03-22", 5),
        ("1e kwartaal 2027 38 winkeldiefstallen", "winkeldiefstallen", "Q1 2027", "2027-01-01", 38),
        ("januari 2027: 9 inbraken", "inbraken", "januari 2027", "2027-01-01", 9),
        (
            "Tweede kwartaal 2026: 31 winkeldiefstallen",
            "winkeldiefstallen",
            "Q2 2026",
            "2026-04-01",
            31,
        ),
        ("2027-Q2 woninginbraken 14", "woninginbraken", "Q2 2027", "2027-04-01", 14),
        (
            "jan t/m mrt 2027: 40 aangiften van winkeldiefstal",
            "aangiften winkeldiefstal",
            "Q1 2027",
            "2027-01-01",
            40,
        ),
        (
            "We telden in april 2027 in totaal 18 meldingen van drugsoverlast",
            "meldingen drugsoverlast",
            "april 2027",
            "2027-04-01",
            18,
        ),
        ("vorig kwartaal 27 inbraken", "inbraken", "Q1 2027", "2027-01-01", 27),
        (
            "het rapportcijfer voor veiligheid was in 2026 een 6,4",
            "veiligheid",
            "2026",
            "2026-01-01",
            6.4,
        ),
        (
            "meldingen jeugdoverlast eerste helft 2027: 64",
            "meldingen jeugdoverlast",
            "1e helft 2027",
            "2027-01-01",
            64,
        ),
        ("2025: 1.250 meldingen overlast", "meldingen overlast", "2025", "2025-01-01", 1250),
        ("Aantal 112-meldingen Q1 2027: 30", "112-meldingen", "Q1 2027", "2027-01-01", 30),
        ("wk 7 2027 - 3 autokraken", "autokraken", "week 7 2027", "2027-02-15", 3),
        ("feb '27: 11 zakkenrollerij", "zakkenrollerij", "februari 2027", "2027-02-01", 11),
        (
            "winkeldiefstallen Q1 2027: 42 (vorig jaar 60)",
            "winkeldiefstallen",
            "Q1 2027",
            "2027-01-01",
            42,
        ),
        (
            "In Q4 2026 registreerde de politie 51 woninginbraken",
            "politie woninginbraken",
            "Q4 2026",
            "2026-10-01",
            51,
        ),
        (
            "veiligheidsgevoel: 6,8 (schaal 1-10) in 2027",
            "veiligheidsgevoel",
            "2027",
            "2027-01-01",
            6.8,
        ),
        ("03-2027 vernielingen 22", "vernielingen", "maart 2027", "2027-03-01", 22),
        ("fietsendiefstal dit jaar: 44", "fietsendiefstal", "2027", "2027-01-01", 44),
        ("Inbraken in december 2026 – 7", "inbraken", "december 2026", "2026-12-01", 7),
        ("Meldingen van graffiti, Q4: 15", "meldingen graffiti", "Q4 2027", "2027-10-01", 15),
    ],
)
def test_parse_measurement(text, indicator, period, key, value):
    assert parse_measurement(text, TODAY) == MeasurementInput(indicator, period, key, value)


@pytest.mark.parametrize(
    "text",
    [
        "hoeveel inbraken waren er in 2026?",  # no number
        "winkeldiefstallen: 42",  # no period
        "Q1 2027",  # no number, no indicator
        "Q1: 42",  # nothing to say what was counted
        "Doel: 40 inbraken in Q4 2027",  # a goal, not a measurement
        "In 2027 willen we 20% minder inbraken",
        "",
    ],
)
def test_not_a_measurement(text):
    assert parse_measurement(text, TODAY) is None


def test_year_is_the_period_not_the_value():
    m = parse_measurement("inbraken 2026 88", TODAY)
    assert (m.period, m.value) == ("2026", 88)


def test_period_defaults_to_this_year():
    m = parse_measurement("inbraken Q2: 20", date(2031, 1, 5))
    assert (m.period, m.period_key) == ("Q2 2031", "2031-04-01")
    assert parse_measurement("inbraken Q2: 20") is not None  # today = date.today()


def test_period_keys_sort_in_time():
    texts = ["inbraken week 2 2027: 1", "inbraken december 2026: 5", "inbraken Q1 2027: 9"]
    keys = [parse_measurement(t, TODAY).period_key for t in texts]
    assert sorted(keys) == [keys[1], keys[0], keys[2]] or sorted(keys) == [
        keys[1],
        keys[2],
        keys[0],
    ]
    assert period_sort_key("Q3 2026") == "2026-07-01"
    assert period_sort_key("maart 2027") == "2027-03-01"
    assert period_sort_key("geen periode") is None


# --- matching ------------------------------------------------------------------------------

PLAN_GOALS = """Het aantal woninginbraken in Noord daalt van 60 naar 40 in 2027.
Met 20% minder winkeldiefstallen in het centrum eind 2027.
Het veiligheidsgevoel stijgt naar 7 in 2027.
De jeugdoverlast bij het station is eind 2027 gehalveerd."""


@pytest.mark.parametrize(
    ("indicator", "goal_index"),
    [
        ("inbraken", 0),
        ("woninginbraken", 0),
        ("inbraak in woningen", 0),
        ("winkeldiefstallen", 1),
        ("winkeldiefstal", 1),
        ("aangiften van winkeldiefstal", 1),
        ("diefstallen", 1),
        ("veiligheidsgevoel", 2),
        ("meldingen jeugdoverlast", 3),
        ("hangjongeren", 3),
        ("overlast door jongeren", 3),
        ("fietsendiefstallen", None),
        ("drugsoverlast", None),
        ("meldingen", None),
        ("slachtofferschap", None),
        ("vernielingen", None),
    ],
)
def test_match_goal(indicator, goal_index, lexicon):
    goals = parse_goals(PLAN_GOALS, lexicon, TODAY)
    assert len(goals) == 4
    expected = goals[goal_index] if goal_index is not None else None
    assert match_goal(goals, indicator, lexicon) is expected


def test_match_goal_does_not_guess_between_equal_goals(lexicon):
    goals = parse_goals(
        "Jeugdoverlast daalt met 20% in 2027; drugsoverlast daalt met 30% in 2027", lexicon, TODAY
    )
    assert match_goal(goals, "meldingen overlast", lexicon) is None
    assert match_goal(goals, "drugsoverlast", lexicon) is goals[1]
    assert match_goal([], "inbraken", lexicon) is None


def test_measurement_and_goal_together(lexicon):
    goals = parse_goals(PLAN_GOALS, lexicon, TODAY)
    m = parse_measurement("meting: 35 inbraken in Q2 2027", TODAY)
    goal = match_goal(goals, m.indicator, lexicon)
    result = progress(goal, [("Q1 2027", 50), (m.period, m.value)], indicator=m.indicator)
    assert result.text == "Inbraken: 35 in Q2 2027. Start 60, doel 40: doel bereikt!"


# --- progress ------------------------------------------------------------------------------


def goal(**kwargs) -> Goal:
    base = {"text": "", "indicator_words": ["winkeldiefstal"], "direction": "down"}
    return Goal(**(base | kwargs))


def test_progress_down_with_baseline_and_target():
    p = progress(goal(baseline=60, target=40), [("Q4 2026", 55), ("Q1 2027", 51)])
    assert (p.baseline, p.latest, p.latest_period, p.target) == (60, 51, "Q1 2027", 40)
    assert p.share == pytest.approx(0.45)
    assert not p.reached
    assert p.text == "Winkeldiefstal: 51 in Q1 2027. Start 60, doel 40: je bent 45% op weg."


def test_progress_relative_uses_first_measurement_as_baseline():
    p = progress(goal(relative=0.2), [("2025", 60), ("2026", 54)], indicator="winkeldiefstallen")
    assert (p.baseline, p.target) == (60, 48)
    assert p.share == pytest.approx(0.5)
    assert p.text.startswith("Winkeldiefstallen: 54 in 2026. Start 60, doel 48")


def test_progress_reached():
    p = progress(goal(baseline=60, target=40), [("Q3 2027", 38)])
    assert p.reached and p.share > 1
    assert p.text.endswith("doel bereikt!")


def test_progress_wrong_way():
    p = progress(goal(baseline=60, target=40), [("Q1 2027", 63)], indicator="inbraken")
    assert p.share == pytest.approx(-0.15)
    assert not p.reached
    assert p.text == (
        "Inbraken: 63 in Q1 2027. Start 60, doel 40: 15% verder van het doel dan bij de start."
    )


def test_progress_up():
    up = goal(direction="up", target=7, indicator_words=["veiligheidsvoel"])
    p = progress(up, [("2025", 6.2), ("2026", 6.6)], indicator="veiligheidsgevoel")
    assert p.share == pytest.approx(0.5)
    assert p.text == "Veiligheidsgevoel: 6,6 in 2026. Start 6,2, doel 7: je bent 50% op weg."
    worse = progress(up, [("2025", 6.2), ("2026", 6.0)], indicator="veiligheidsgevoel")
    assert worse.share == pytest.approx(-0.25) and "25% verder van het doel" in worse.text
    reached = progress(up, [("2025", 6.2), ("2027", 7.1)])
    assert reached.reached


def test_progress_up_relative_and_change():
    p = progress(goal(direction="up", relative=0.5), [("2025", 40), ("2026", 50)])
    assert p.target == 60 and p.share == pytest.approx(0.5)
    p = progress(goal(change=-10), [("2025", 60), ("2026", 55)])
    assert p.target == 50 and p.share == pytest.approx(0.5)


def test_progress_first_measurement_is_the_start():
    p = progress(goal(relative=0.2), [("Q1 2026", 60)], indicator="winkeldiefstallen")
    assert p.share == 0 and not p.reached
    assert p.text == "Winkeldiefstallen: 60 in Q1 2026. Dit is je startmeting. Doel: 48."


def test_progress_without_baseline_or_number():
    p = progress(goal(target=40), [("Q1 2027", 50)])
    assert p.baseline == 50 and p.target == 40  # the first measurement is the baseline
    no_number = progress(goal(), [("Q1 2027", 50), ("Q2 2027", 45)])
    assert no_number.target is None and no_number.share is None and not no_number.reached
    assert "kan de voortgang niet berekenen" in no_number.text


def test_progress_without_measurements():
    p = progress(goal(baseline=60, target=40), [])
    assert p.latest is None and p.share is None and not p.reached
    assert p.text == "Winkeldiefstal: nog geen metingen. Doel: 40."


def test_progress_no_change():
    p = progress(goal(baseline=60, target=40), [("Q1 2027", 60)])
    assert p.share == 0 and "nog geen verandering" in p.text


def test_series_text():
    assert series_text("fietsendiefstallen", []) == (
        "Nog geen doel voor 'fietsendiefstallen': ik laat alleen de metingen zien."
    )
    text = series_text("fietsendiefstallen", [("week 11 2027", 8), ("week 12 2027", 5)])
    assert text.endswith("Laatste meting: 5 in week 12 2027.")
