"""Plans as projects: names, the list of a sender's plans, switching, migration 0003.

Store and migration tests run on SQLite and on a real PostgreSQL server (tests/db_fixtures.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect

from knowledge.catalogue import load_catalogue
from knowledge.sharing import SharedPlanStore, make_engine
from knowledge.sharing import db as sharing_db
from knowledge.sharing.naming import NAME_MAX, propose_name, tidy_name, unique_name

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
