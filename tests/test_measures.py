"""Step 5 as measures: proposals from the catalogue, periods, priorities, the 'Wie doet wat'
table and its checks (pure), then the stored side on SQLite and PostgreSQL: migration 0004,
owner and partner rules (a partner takes a measure on, only the owner decides), the Word table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import inspect

from knowledge.catalogue import load_catalogue
from knowledge.nl.lexicon import lexicon_for
from knowledge.plan.files import PlanFiles
from knowledge.plan.measures import (
    CONFIRMED,
    OWN,
    PROPOSED,
    REJECTED,
    TABLE_HEADER,
    Measure,
    gaps,
    measure_number,
    measure_prefix,
    parse_span,
    priority_for,
    proposals,
    split_priorities,
    table_rows,
)
from knowledge.planning import PlanState
from knowledge.sharing import NotOwner, PersonalDataRefused, SharedPlanStore
from knowledge.sharing import db as sharing_db
from knowledge.sharing.measures import MeasureService, NothingToDecide, UnknownMeasure
from knowledge.sharing.service import SharingService

pytest_plugins = ["tests.db_fixtures"]

TODAY = date(2026, 12, 2)
CAT = load_catalogue()
LEX = lexicon_for(CAT)
ANSWERS = {
    "plan_problem": "veel winkeldiefstal en overlast door jongeren in het winkelcentrum",
    "plan_priorities": "winkeldiefstal en overlast door jongeren",
    "plan_goal": "Het aantal winkeldiefstallen in het centrum daalt van 60 naar 40 in 2027.",
    "plan_methods": "KVO en Streetwise",
}


# --- pure: text in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("maart 2027 tot juni 2027", "maart 2027", "juni 2027"),
        ("maart tot juni 2027", "maart 2027", "juni 2027"),
        ("Q2 2027", "Q2 2027", "Q2 2027"),
        ("tweede kwartaal", "Q2 2027", "Q2 2027"),  # no year, in the past this year: next year
        ("politie, Q1 2027 - Q3 2027", "Q1 2027", "Q3 2027"),
        ("van januari t/m maart 2027", "januari 2027", "maart 2027"),
        ("in juni", "juni 2027", "juni 2027"),
        ("ondernemers, Q3 2027, budget: 2000 euro", "Q3 2027", "Q3 2027"),
    ],
)
def test_periods_are_months_or_quarters(text: str, start: str, end: str) -> None:
    span = parse_span(text, TODAY)
    assert span is not None and (span.start, span.end) == (start, end)


def test_no_period_and_a_backwards_period_give_none() -> None:
    assert parse_span("zo snel mogelijk", TODAY) is None
    assert parse_span("juni 2027 tot maart 2027", TODAY) is None


def test_measure_numbers_and_priorities() -> None:
    assert measure_number("wij nemen maatregel 2 op ons") == 2
    assert measure_number("3") == 3
    assert measure_number("Q2 2027") is None
    assert measure_number("nr 4 is voor ons") == 4
    # Ordinals only in a command about a measure, never in the text of a new measure.
    assert measure_number("wij doen de derde", ordinals=True) == 3
    assert measure_number("de 2e maatregel pakken wij op", ordinals=True) == 2
    assert measure_number("derde", ordinals=True) == 3  # an entity value
    assert measure_number("wij starten in het tweede kwartaal", ordinals=True) is None
    assert measure_number("eerste helft 2027", ordinals=True) is None
    assert measure_number("eerste hulp bij uitgaansgeweld") is None
    priorities = split_priorities(ANSWERS["plan_priorities"])
    assert priorities == ["winkeldiefstal", "overlast door jongeren"]
    assert priority_for("voor prioriteit 2", priorities, LEX) == "overlast door jongeren"
    assert priority_for("jongerenwerk in de avond", priorities, LEX, ["overlast_jeugd"]) == (
        "overlast door jongeren"
    )
    assert priority_for("iets anders", priorities, LEX) == "winkeldiefstal"


def test_proposals_are_the_method_steps_with_a_proposed_responsible() -> None:
    found = proposals(CAT, LEX, ["kvo", "streetwise"])
    kvo = [p for p in found if p.origin == "kvo"]
    assert [p.text for p in kvo] == CAT.get("kvo").steps
    # the municipality in its role for the method (table 3.5) when a step names no partner
    assert kvo[0].responsible.startswith("Gemeente (")
    assert {label for _key, label in kvo[0].options} == {
        CAT.label("parties", p) for p in CAT.get("kvo").parties
    }
    assert {p.origin for p in found} == {"kvo", "streetwise"}


def test_table_and_checks() -> None:
    measures = [
        Measure("veiligheid analyseren", "kvo", "winkeldiefstal", "Politie", "politie",
                "Q1 2027", "Q2 2027", number=1),
        Measure("camera bij de ingang", OWN, "winkeldiefstal", "Ondernemers", "ondernemers",
                "maart 2027", "maart 2027", status=PROPOSED, proposed_by="Piet", number=2),
        Measure("iets dat niet doorgaat", OWN, "overlast door jongeren", "Gemeente", "gemeente",
                "Q1 2027", "Q1 2027", status=REJECTED, number=3),
    ]  # fmt: skip
    rows = table_rows(CAT, measures, ANSWERS["plan_goal"])
    assert len(rows[0]) == len(TABLE_HEADER)
    assert rows[0][2:4] == ("Politie", "Q1 2027 - Q2 2027")
    assert "KVO" in rows[0][1] and "voorgesteld door Piet" in rows[1][1]
    assert rows[1][3] == "maart 2027" and rows[1][5] == PROPOSED
    found = gaps(CAT, measures, split_priorities(ANSWERS["plan_priorities"]), ["kvo"])
    assert found.unserved == ["overlast door jongeren"]  # only a declined measure serves it
    assert found.parties_without == ["Gemeente"]  # KVO needs gemeente, ondernemers, politie


# --- stored: migration, rules, Word -------------------------------------------------------------


@pytest.fixture
def service(db_url: str, tmp_path: Path):
    store = SharedPlanStore(db_url)
    store.migrate()
    sharing = SharingService(store, PlanFiles(tmp_path / "plans"))
    yield MeasureService(sharing, TODAY)
    store.close()


def shared_plan(measures: MeasureService) -> None:
    sharing = measures.sharing
    state = PlanState(problems=["winkeldiefstal"], methods=["kvo", "streetwise"])
    plan = sharing.save_owned("owner", dict(ANSWERS), state)
    sharing.set_owner_profile("owner", "Olga", "Gemeente Utrecht", "gemeente")
    sharing.join("partner", plan.code, "Piet", "Politie Midden-Nederland", "politie")


def test_migration_0004_makes_the_table_and_goes_back(db_url: str) -> None:
    from alembic import command

    config = sharing_db.alembic_config(db_url)
    command.upgrade(config, "head")
    engine = sharing_db.make_engine(db_url)
    try:
        assert "measures" in inspect(engine).get_table_names()
        columns = {c["name"] for c in inspect(engine).get_columns("measurements")}
        assert "measure_number" in columns
        command.downgrade(config, "0003")
        assert "measures" not in inspect(engine).get_table_names()
        command.upgrade(config, "head")
        assert "measures" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_owner_measures_are_confirmed_and_partner_takes_one_on(service: MeasureService) -> None:
    shared_plan(service)
    steps = service.proposals("owner")
    first = service.add("owner", "", steps[0])
    assert (first.number, first.status, first.origin) == (1, CONFIRMED, "kvo")
    own = service.add("owner", "extra surveillance op vrijdagavond, politie, Q1 2027 - Q3 2027")
    assert (own.origin, own.responsible, own.start, own.end) == (
        OWN,
        "Politie",
        "Q1 2027",
        "Q3 2027",
    )
    assert steps[0] not in service.proposals("owner")

    offer = service.take_on("partner", 1)
    assert offer.responsible == first.responsible  # not changed until the owner confirms
    assert offer.pending_responsible.startswith("Politie Midden-Nederland")
    with pytest.raises(NotOwner):
        service.decide("partner", 1, accept=True)  # a partner never decides, not even their own
    confirmed = service.decide("owner", 1, accept=True)
    assert confirmed.responsible.startswith("Politie Midden-Nederland")
    assert confirmed.party == "politie" and not confirmed.pending_responsible
    with pytest.raises(NothingToDecide):
        service.decide("owner", 1, accept=True)


def test_partner_proposals_wait_for_the_owner(service: MeasureService) -> None:
    shared_plan(service)
    proposal = service.add("partner", "wij surveilleren extra op koopavonden vanaf maart 2027")
    assert proposal.status == PROPOSED and proposal.proposed_by.startswith("Piet")
    assert proposal.responsible.startswith("Politie Midden-Nederland")
    assert proposal.start == "maart 2027"
    with pytest.raises(NotOwner):
        service.decide("partner", proposal.number, accept=True)
    changed = service.adjust("partner", proposal.number, "Q2 2027 tot Q4 2027")
    assert (changed.start, changed.end) == ("Q2 2027", "Q4 2027")
    declined = service.decide("owner", proposal.number, accept=False)
    assert declined.status == REJECTED
    with pytest.raises(NotOwner):
        service.adjust("partner", proposal.number, "budget: 500 euro")
    with pytest.raises(UnknownMeasure):
        service.take_on("partner", 99)
    with pytest.raises(PersonalDataRefused):
        service.add("partner", "bel Piet op 06-12345678 voor de sleutel")


def test_the_owners_news_names_the_offers_that_wait_for_a_decision(
    service: MeasureService,
) -> None:
    shared_plan(service)
    first = service.add("owner", "", service.proposals("owner")[0])
    assert not any("Wacht op jouw besluit" in n for n in service.news("owner").owner_notes)
    service.take_on("partner", first.number)
    service.add("partner", "wij surveilleren extra op koopavonden vanaf maart 2027")
    note = service.news("owner").owner_notes[0]
    assert note.startswith("Wacht op jouw besluit: Politie Midden-Nederland")
    assert f"wil maatregel {first.number} doen" in note and "stelt maatregel 2 voor" in note
    assert not any("Wacht op" in n for n in service.news("partner").owner_notes)
    service.decide("owner", first.number, accept=True)
    service.decide("owner", 2, accept=False)
    assert not any("Wacht op" in n for n in service.news("owner").owner_notes)


def test_word_file_has_the_who_does_what_table(service: MeasureService) -> None:
    shared_plan(service)
    steps = service.proposals("owner")
    service.add("owner", "ondernemers, maart 2027 tot juni 2027", steps[0])
    service.add("owner", "Q2 2027", next(p for p in steps if p.origin == "streetwise"))
    service.add("owner", "winkelpersoneel trainen, ondernemers, Q3 2027, budget: 2000 euro")
    board = service.board("partner")
    assert [m.number for m in board.measures] == [1, 2, 3]
    partners_without = next(c for c in board.section.checks if c.startswith("Partners zonder"))
    assert "Politie" in partners_without and "Gemeente" not in partners_without
    assert board.section.goal_link.endswith("maatregel 1, 2, 3.")
    path = service.sharing.render_plan(board.membership.plan.id).docx
    table = next(
        t for t in Document(str(path)).tables if t.rows[0].cells[0].text == TABLE_HEADER[0]
    )
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0][2:4] == ["Ondernemers", "maart 2027 - juni 2027"]
    assert rows[1][3] == "Q2 2027" and "Streetwise" in rows[1][1]
    assert "eigen maatregel" in rows[2][1] and "2000 euro" in rows[2][1]
    assert rows[2][2:4] == ["Ondernemers", "Q3 2027"]  # the budget's 2000 is not a year
    assert all(row[5] == CONFIRMED for row in rows)


def test_a_measurement_can_follow_a_measure(service: MeasureService) -> None:
    assert measure_prefix("maatregel 2: schouwen Q1 2027: 3") == (2, "schouwen Q1 2027: 3")
    assert measure_prefix("winkeldiefstallen Q1 2027: 42") == (
        None,
        "winkeldiefstallen Q1 2027: 42",
    )
    shared_plan(service)
    service.add("owner", "", service.proposals("owner")[0])
    measured = service.measure("partner", 1, "schouwen Q1 2027: 3")
    assert measured.measurement.indicator.lower().startswith("schouwen")
    with pytest.raises(UnknownMeasure):
        service.measure("partner", 7, "schouwen Q2 2027: 4")
    board = service.board("owner")
    assert "laatste meting: schouwen Q1 2027: 3" in board.section.lines[0]
    assert [m.indicator for m in service.sharing.store.measurements(board.membership.plan.id)] == [
        measured.measurement.indicator
    ]  # the unknown measure stored nothing
