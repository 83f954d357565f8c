"""Plans as projects: names, the list of a sender's plans, switching, migration 0003.

Store and migration tests run on SQLite and on a real PostgreSQL server (tests/db_fixtures.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect

from knowledge.catalogue import load_catalogue
from knowledge.plan.files import PlanFiles
from knowledge.planning import PlanState
from knowledge.sharing import (
    NotOwner,
    NotParticipant,
    PersonalDataRefused,
    PlanClosed,
    PlanInfo,
    SharedPlanStore,
    TextRefused,
    make_engine,
)
from knowledge.sharing import db as sharing_db
from knowledge.sharing.naming import NAME_MAX, propose_name, tidy_name, unique_name
from knowledge.sharing.projects import rename_target, switch_target, wanted_name
from knowledge.sharing.service import SharingService

pytest_plugins = ["tests.db_fixtures"]

DAY = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "name"),
    [
        ("Overlast van hangjongeren bij het stationsgebied in Oost", "Stationsgebied Oost"),
        ("Winkeldiefstal in Winkelcentrum Zuid neemt toe", "Winkelcentrum Zuid"),
        (
            "veel woninginbraken in Kanaleneiland. De politie ziet het ook.",
            "Woninginbraak Kanaleneiland",
        ),
        ("winkeldiefstal in het winkelcentrum", "Winkeldiefstal winkelcentrum"),
        ("overlast bij het station in zuid", "Station Zuid"),
        ("Jongeren maken het Marktplein onveilig", "Marktplein"),
        ("drugsoverlast", "Drugsoverlast"),
        ("", "Plan van 2 december 2026"),
        ("!!!", "Plan van 2 december 2026"),
    ],
)
def test_name_proposed_from_the_problem(problem: str, name: str) -> None:
    assert propose_name(problem, load_catalogue(), DAY) == name


def test_names_are_cleaned_limited_and_unique() -> None:
    assert tidy_name("  'Winkelcentrum\u202e Zuid'\n ") == "Winkelcentrum Zuid"
    assert tidy_name("\x00 ") == ""
    long = tidy_name("Stationsgebied " * 10)
    assert 0 < len(long) <= NAME_MAX and not long.endswith(" ")
    assert unique_name("Station Zuid", ["station zuid"]) == "Station Zuid (2)"
    assert unique_name("Station Zuid", ["Station Zuid", "Station Zuid (2)"]) == "Station Zuid (3)"
    assert len(unique_name("x" * NAME_MAX, ["x" * NAME_MAX])) <= NAME_MAX


# --- migration 0003 -----------------------------------------------------------------------------


def _insert_plan(connection, plan_id: str, owner: str, answers: str) -> None:
    connection.exec_driver_sql(
        "INSERT INTO plans (id, code, doc_token, owner_sender, status, answers, state, "
        "created_at, updated_at, code_created_at) VALUES "
        f"('{plan_id}', 'C{plan_id[-1]}AB-DE3F', 't{plan_id}', '{owner}', 'open', "
        f"'{answers}', '{{}}', '2025-01-0{plan_id[-1]} 03:04:05+00:00', "
        f"'2025-01-0{plan_id[-1]} 03:04:05+00:00', '2025-01-0{plan_id[-1]} 03:04:05+00:00')"
    )
    connection.exec_driver_sql(
        "INSERT INTO participants (plan_id, sender_id, name, organisation, party, role, "
        f"joined_at, last_active_at) VALUES ('{plan_id}', '{owner}', 'Olga', 'Gemeente', "
        "'gemeente', 'owner', '2025-01-02 03:04:05+00:00', '2025-01-02 03:04:05+00:00')"
    )


def test_migration_0003_names_old_plans_and_they_keep_working(db_url: str) -> None:
    config = sharing_db.alembic_config(db_url)
    command.upgrade(config, "0002")
    engine = make_engine(db_url)
    station = '{"plan_problem": "Overlast bij het stationsgebied in Oost"}'
    try:
        with engine.begin() as connection:
            _insert_plan(connection, "p1", "owner", station)
            _insert_plan(connection, "p2", "owner", station)  # the same problem twice
            _insert_plan(connection, "p3", "owner", "{}")
    finally:
        engine.dispose()
    command.upgrade(config, "head")
    store = SharedPlanStore(db_url)
    try:
        names = {p: store.get_plan(p).name for p in ("p1", "p2", "p3")}
        assert names == {
            "p1": "Stationsgebied Oost",
            "p2": "Stationsgebied Oost (2)",
            "p3": "Plan van 3 januari 2025",
        }
        assert [p.name for p in store.participants("p1")] == ["Olga"]  # nothing cascaded away
        updated = store.update_plan("p1", "owner", {"plan_problem": "nieuw"}, {"step": 2})
        assert updated.name == "Stationsgebied Oost" and updated.answers["plan_problem"] == "nieuw"
        new = store.create_plan("owner", {}, {}, "Stationsgebied Oost")
        assert new.name == "Stationsgebied Oost (3)"
    finally:
        store.close()
    command.downgrade(config, "0002")
    engine = make_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("plans")}
        assert "name" not in columns
        with engine.connect() as connection:
            count = connection.exec_driver_sql("SELECT count(*) FROM participants").scalar()
        assert count == 4
    finally:
        engine.dispose()


# --- the service: several plans per sender ------------------------------------------------------

STATION = {"plan_problem": "Overlast van hangjongeren bij het stationsgebied in Oost"}
SHOPS = {"plan_problem": "Winkeldiefstal in Winkelcentrum Zuid neemt toe"}


@pytest.fixture
def service(shared_store: SharedPlanStore, tmp_path) -> SharingService:
    return SharingService(shared_store, PlanFiles(tmp_path / "plans"))


def _new_plan(service: SharingService, sender: str, answers: dict) -> PlanInfo:
    """What the planner does when a plan is finished: a fresh draft (no plan id) is saved."""
    return service.save_owned(sender, answers, PlanState())


def test_a_new_plan_is_a_second_plan_not_an_overwrite(service: SharingService) -> None:
    station = _new_plan(service, "olga", STATION)
    shops = _new_plan(service, "olga", SHOPS)
    assert station.id != shops.id
    assert (station.name, shops.name) == ("Stationsgebied Oost", "Winkelcentrum Zuid")
    assert service.store.get_plan(station.id).answers == STATION  # untouched
    items = service.projects.plans("olga")
    assert [(i.name, i.current, i.is_owner, i.status) for i in items] == [
        ("Winkelcentrum Zuid", True, True, "open"),
        ("Stationsgebied Oost", False, True, "open"),
    ]
    assert "Stationsgebied Oost: open, laatst gewijzigd op " in items[1].line
    # The same problem again: a new plan with a numbered name.
    again = _new_plan(service, "olga", STATION)
    assert again.name == "Stationsgebied Oost (2)"


def test_switching_by_name_by_typo_by_part_and_by_button(service: SharingService) -> None:
    station = _new_plan(service, "olga", STATION)
    shops = _new_plan(service, "olga", SHOPS)
    projects = service.projects
    assert projects.find("olga", "ga verder met Stationsgebied Oost").item.plan_id == station.id
    assert projects.find("olga", "open het plan stationsgebied ost").item.plan_id == station.id
    assert projects.find("olga", "verder met zuid").item.plan_id == shops.id
    assert projects.find("olga", "ga verder met Kanaleneiland").item is None
    assert projects.find("olga", "ga verder met Kanaleneiland").candidates == []
    # The plan_name entity cut short or stretched by the classifier: the whole message decides.
    said = "ga verder met het plan Stationsgebied Oost even"
    assert projects.find("olga", "Stationsgebied Oost even", said).item.plan_id == station.id
    assert projects.find("olga", "hotspot", "open Winkelcentrum Zuid").item.plan_id == shops.id
    switched = projects.switch("olga", station.id)
    assert switched.plan.id == station.id and service.current("olga").plan.id == station.id
    # The planner goes on with the plan switched to (the owner's answers and plan id).
    slots = projects.planner_slots(switched)
    assert slots["plan_problem"] == STATION["plan_problem"]
    assert slots["plan_state"]["plan_id"] == station.id


def test_the_new_name_is_the_entity_or_the_sentence_s_name_that_holds_it() -> None:
    assert wanted_name(["Lombok"], "geef dit plan de naam Lombok Samen") == "Lombok Samen"
    assert wanted_name(["Lombok Samen"], "noem het Lombok Samen") == "Lombok Samen"
    assert wanted_name(["Parkwijk"], "de naam moet Parkwijk zijn") == "Parkwijk"
    assert wanted_name([], "noem dit plan Haven Oost") == "Haven Oost"
    assert wanted_name([], "ik wil de naam wijzigen") == ""


def test_two_names_alike_are_asked_not_guessed(service: SharingService) -> None:
    _new_plan(service, "olga", STATION)
    _new_plan(service, "olga", STATION)
    found = service.projects.find("olga", "ga verder met stationsgebied")
    assert found.item is None
    assert {c.name for c in found.candidates} == {"Stationsgebied Oost", "Stationsgebied Oost (2)"}
    exact = service.projects.find("olga", "ga verder met Stationsgebied Oost (2)")
    assert exact.item is not None and exact.item.name == "Stationsgebied Oost (2)"


def test_a_plan_id_of_someone_elses_plan_is_refused(service: SharingService) -> None:
    theirs = _new_plan(service, "olga", STATION)
    mine = _new_plan(service, "mallory", SHOPS)
    with pytest.raises(NotParticipant) as refused:
        service.projects.switch("mallory", theirs.id)
    assert "ken ik niet" in refused.value.text
    with pytest.raises(NotParticipant):
        service.projects.switch("mallory", "")
    assert service.current("mallory").plan.id == mine.id
    assert [i.name for i in service.projects.plans("mallory")] == ["Winkelcentrum Zuid"]
    assert service.projects.find("mallory", "ga verder met Stationsgebied Oost").item is None


def test_a_partner_sees_every_plan_they_take_part_in(service: SharingService) -> None:
    station = _new_plan(service, "olga", STATION)
    shops = _new_plan(service, "henk", SHOPS)
    own = _new_plan(service, "piet", {"plan_problem": "drugsoverlast in de binnenstad"})
    service.join("piet", station.code, "Piet", "Politie Oost", "politie")
    service.join("piet", shops.code, "Piet", "Politie Oost", "politie")  # the first stays
    items = {i.title: i for i in service.projects.plans("piet")}
    assert set(items) == {
        "Stationsgebied Oost (partner)",
        "Winkelcentrum Zuid (partner)",
        own.name,
    }
    assert items["Winkelcentrum Zuid (partner)"].current
    service.projects.switch("piet", station.id)
    service.contribute("piet", 3, None, "Wij surveilleren al op vrijdagavond bij het station.")
    assert service.store.contributions(station.id)[0].plan_id == station.id
    assert service.store.contributions(shops.id) == []
    # The partner's addition is the plan's last change, for the owner too.
    first = service.projects.plans("olga")[0]
    assert first.last_change > service.store.get_plan(station.id).updated_at
    # The partner cannot rename the owner's plan; the planner starts empty for them.
    with pytest.raises(NotOwner):
        service.projects.rename("piet", "Mijn naam")
    assert service.projects.planner_slots(service.current("piet"))["plan_state"] is None


def test_closed_plans_stay_readable_not_editable(service: SharingService) -> None:
    station = _new_plan(service, "olga", STATION)
    service.join("piet", station.code, "Piet", "Politie Oost", "politie")
    service.close("olga")
    _new_plan(service, "olga", SHOPS)
    items = {i.name: i for i in service.projects.plans("olga")}
    assert items["Stationsgebied Oost"].status == "closed"
    assert "gesloten" in items["Stationsgebied Oost"].line
    service.projects.switch("olga", station.id)
    assert service.view("olga").rendered.plan is not None  # readable
    with pytest.raises(PlanClosed):
        service.contribute("olga", 3, None, "Nog een extra maatregel bij het station.")
    with pytest.raises(PlanClosed):
        service.projects.rename("olga", "Nieuwe naam")
    service.projects.switch("piet", station.id)  # a partner reads it too
    assert service.view("piet").summary


def test_renaming(service: SharingService) -> None:
    _new_plan(service, "olga", STATION)
    shops = _new_plan(service, "olga", SHOPS)
    renamed = service.projects.rename("olga", "  'Centrum\u202e Noord'  ")
    assert renamed.id == shops.id and renamed.name == "Centrum Noord"
    assert service.projects.rename("olga", "stationsgebied oost").name == "stationsgebied oost (2)"
    with pytest.raises(TextRefused):
        service.projects.rename("olga", " !! ")
    with pytest.raises(PersonalDataRefused):
        service.projects.rename("olga", "Bel 0612345678")
    assert service.store.get_plan(shops.id).name == "stationsgebied oost (2)"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ga verder met Stationsgebied Oost", "Stationsgebied Oost"),
        ("wissel naar het plan 'Station Zuid'", "Station Zuid"),
        ("ik wil werken aan het plan Station Zuid", "Station Zuid"),
        ("ga verder met een ander plan", ""),
    ],
)
def test_the_name_in_a_switch(text: str, name: str) -> None:
    assert switch_target(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("noem dit plan Winkelcentrum Zuid", "Winkelcentrum Zuid"),
        ("hernoem het plan naar Oost 2027", "Oost 2027"),
        ("de naam wordt Kanaleneiland", "Kanaleneiland"),
        ("verander de naam van het plan in Binnenstad", "Binnenstad"),
        ("ik wil de naam wijzigen", ""),
        ("naam wijzigen", ""),
    ],
)
def test_the_name_in_a_rename(text: str, name: str) -> None:
    assert rename_target(text) == name
