"""Shared plans store: migrations, round trip, access rules, isolation and concurrent writers.

Every database test runs on SQLite and on a real PostgreSQL server (tests/db_fixtures.py).
"""

from __future__ import annotations

import importlib
import re
import sys
from datetime import UTC
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from knowledge.sharing import (
    AlreadyMember,
    NotOwner,
    NotParticipant,
    OwnerCannotLeave,
    PlanClosed,
    SharedPlanStore,
    SharingError,
    UnknownCode,
    UnknownParticipant,
    database_url,
    find_code,
    make_engine,
    migrate,
    new_join_code,
)
from knowledge.sharing import db as sharing_db
from knowledge.sharing import store as store_module
from knowledge.sharing.codes import ALPHABET
from knowledge.sharing.models import Base

pytest_plugins = ["tests.db_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {"problem": "winkeldiefstal", "priority": "centrum", "method": "kvo"}


@pytest.fixture
def store(shared_store: SharedPlanStore) -> SharedPlanStore:
    return shared_store


def _plan_with_partner(store: SharedPlanStore, owner: str = "owner", partner: str = "partner"):
    plan = store.create_plan(owner, ANSWERS, {"step": 3})
    member = store.join(plan.code, partner, "Piet", "Politie Oost", "politie")
    return plan, member


# --- migrations ---------------------------------------------------------------------------------


def test_migrate_twice_is_idempotent(db_url: str) -> None:
    migrate(db_url)
    migrate(db_url)
    SharedPlanStore(db_url).migrate()
    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    finally:
        engine.dispose()
    assert {"plans", "participants", "contributions", "measurements"} <= tables
    head = ScriptDirectory.from_config(sharing_db.alembic_config(db_url)).get_current_head()
    assert version == [(head,)]


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    from alembic import command

    migrate(db_url)
    command.downgrade(sharing_db.alembic_config(db_url), "base")
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate(db_url)
    store = SharedPlanStore(db_url)
    assert store.get_plan(store.create_plan("owner", {}, {}).id) is not None
    store.close()


def test_migration_0002_keeps_existing_plans_and_dates_their_codes(db_url: str) -> None:
    from alembic import command

    config = sharing_db.alembic_config(db_url)
    command.upgrade(config, "0001")
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO plans (id, code, doc_token, owner_sender, status, answers, state, "
                "created_at, updated_at) VALUES ('p1', 'AB2C-DE3F', 't1', 'owner', 'open', "
                "'{}', '{}', '2025-01-02 03:04:05+00:00', '2025-01-02 03:04:05+00:00')"
            )
            connection.exec_driver_sql(
                "INSERT INTO participants (plan_id, sender_id, name, organisation, party, role, "
                "joined_at, last_active_at) VALUES ('p1', 'owner', 'Olga', 'Gemeente', "
                "'gemeente', 'owner', '2025-01-02 03:04:05+00:00', '2025-01-02 03:04:05+00:00')"
            )
    finally:
        engine.dispose()
    command.upgrade(config, "head")
    store = SharedPlanStore(db_url)
    try:
        plan = store.get_plan("p1")
        assert plan is not None and plan.code_created_at == plan.created_at
        assert plan.created_at.year == 2025
        assert [p.name for p in store.participants("p1")] == ["Olga"]  # nothing cascaded away
        assert store.join_failures("anyone") == 0
    finally:
        store.close()
    command.downgrade(config, "0001")
    engine = make_engine(db_url)
    try:
        assert "join_failures" not in inspect(engine).get_table_names()
        with engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT name FROM participants").all()
        assert names == [("Olga",)]
    finally:
        engine.dispose()


def test_migrations_match_models(db_url: str) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_migrate_does_not_depend_on_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path}/elsewhere.sqlite"
    migrate(url)
    store = SharedPlanStore(url)
    assert store.get_plan("nope") is None
    store.close()


def test_database_url_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sharing_db.DATABASE_URL_SETTING, "postgresql+psycopg://x@127.0.0.1/db")
    assert database_url() == "postgresql+psycopg://x@127.0.0.1/db"
    monkeypatch.delenv(sharing_db.DATABASE_URL_SETTING)
    monkeypatch.setenv("METHODEWIJZER_DATA_DIR", str(tmp_path / "new"))
    assert database_url() == f"sqlite:///{tmp_path}/new/methodewijzer.sqlite"
    assert (tmp_path / "new").is_dir()


def test_sqlite_engine_settings(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.sqlite")
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() == sharing_db.SQLITE_BUSY_TIMEOUT_S * 1000
            assert pragma("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


# --- round trip ---------------------------------------------------------------------------------


def test_create_join_contribute_measure_round_trip(store: SharedPlanStore) -> None:
    plan = store.create_plan("owner", ANSWERS, {"step": 3})
    assert plan.status == "open" and plan.answers == ANSWERS and plan.state == {"step": 3}
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", plan.code)
    assert plan.created_at.tzinfo is not None and plan.created_at.utcoffset().total_seconds() == 0
    owner = store.participant(plan.id, "owner")
    assert owner is not None and owner.role == "owner" and owner.active and owner.name == ""
    store.set_profile(plan.id, "owner", "Anna", "Gemeente", "gemeente")

    typed = f"ik wil meedoen met plan {plan.code.replace('-', '').lower()}"
    partner = store.join(typed, "partner", "Piet", "Politie Oost", "politie")
    assert (partner.role, partner.party, partner.active) == ("partner", "politie", True)
    assert store.plan_by_code(plan.code.lower()) == store.get_plan(plan.id)

    c1 = store.add_contribution(plan.id, "partner", 3, "bijdrage", "We surveilleren op vrijdag.")
    c2 = store.add_contribution(plan.id, "owner", 5, "besluit", "We kiezen KVO.")
    assert (c1.author, c1.organisation, c1.party) == ("Piet", "Politie Oost", "politie")
    assert c1.created_at.tzinfo == UTC
    m2 = store.add_measurement(plan.id, "partner", "aangiftes", "2e kwartaal 2025", "2025-Q2", 8)
    m1 = store.add_measurement(plan.id, "owner", "aangiftes", "1e kwartaal 2025", "2025-Q1", 12.5)
    assert m2.value == 8.0 and m1.author == "Anna"

    assert [c.id for c in store.contributions(plan.id)] == [c1.id, c2.id]
    assert [m.id for m in store.measurements(plan.id)] == [m1.id, m2.id]  # by period_key
    assert [p.sender_id for p in store.participants(plan.id)] == ["owner", "partner"]

    updated = store.update_plan(plan.id, "owner", {**ANSWERS, "goal": "20% minder"}, {"step": 4})
    assert updated.answers["goal"] == "20% minder" and updated.updated_at >= plan.updated_at
    assert store.get_plan(plan.id) == updated

    # News: only what the OTHERS added, each once.
    news_c, news_m = store.news_for(plan.id, "owner")
    assert ([c.id for c in news_c], [m.id for m in news_m]) == ([c1.id], [m2.id])
    assert store.news_for(plan.id, "owner") == ([], [])
    peek = store.news_for(plan.id, "partner", mark_seen=False)
    assert ([c.id for c in peek[0]], [m.id for m in peek[1]]) == ([c2.id], [m1.id])
    assert store.news_for(plan.id, "partner") == peek
    assert store.news_for(plan.id, "partner") == ([], [])
    c3 = store.add_contribution(plan.id, "partner", 6, "opmerking", "Meer aangiftes gezien.")
    assert [c.id for c in store.news_for(plan.id, "owner")[0]] == [c3.id]

    closed = store.close_plan(plan.id, "owner")
    assert closed.status == "closed" and store.get_plan(plan.id).status == "closed"


def test_returned_values_are_plain_data(store: SharedPlanStore) -> None:
    answers = {"problem": {"text": "overlast"}}
    plan = store.create_plan("owner", answers, {})
    answers["problem"]["text"] = "changed by the caller"
    assert store.get_plan(plan.id).answers == {"problem": {"text": "overlast"}}
    with pytest.raises(AttributeError):
        plan.status = "closed"  # type: ignore[misc]


def test_current_participation_follows_activity(store: SharedPlanStore) -> None:
    first = store.create_plan("anna", {}, {})
    second = store.create_plan("bob", {}, {})
    assert store.current_participation("anna").plan_id == first.id
    store.join(second.code, "anna", "Anna", "Gemeente", "gemeente")
    assert store.current_participation("anna").plan_id == second.id
    store.touch(first.id, "anna")
    assert store.current_participation("anna").plan_id == first.id
    store.add_contribution(second.id, "anna", 1, "bijdrage", "Veel overlast in het park.")
    assert store.current_participation("anna").plan_id == second.id
    store.leave(second.id, "anna")
    assert store.current_participation("anna").plan_id == first.id
    assert store.current_participation("nobody") is None
    left = store.participant(second.id, "anna")
    assert left is not None and not left.active and not left.removed


def test_restart_sees_everything(store: SharedPlanStore) -> None:
    plan, member = _plan_with_partner(store)
    contribution = store.add_contribution(plan.id, "partner", 1, "bijdrage", "Overlast na 22 uur.")
    store.add_measurement(plan.id, "partner", "meldingen", "mei 2025", "2025-05", 31)
    store.news_for(plan.id, "owner")
    store.close()

    again = SharedPlanStore(store.url)
    try:
        assert again.get_plan(plan.id) == plan
        assert again.plan_by_code(plan.code) == plan
        assert again.participant(plan.id, "partner") == member
        assert again.contributions(plan.id) == [contribution]
        assert [m.value for m in again.measurements(plan.id)] == [31.0]
        assert again.news_for(plan.id, "owner") == ([], [])  # the marker survived
        assert again.current_participation("partner") == member
    finally:
        again.close()


# --- access rules -------------------------------------------------------------------------------


def _raises(error: type[SharingError], reason: str, call, *args) -> None:
    with pytest.raises(error) as info:
        call(*args)
    assert info.value.reason == reason
    assert str(info.value)  # a Dutch message for the user


def test_access_errors(store: SharedPlanStore) -> None:
    plan, partner = _plan_with_partner(store)
    other = store.create_plan("other-owner", {}, {})
    outsider = store.join(other.code, "outsider", "Olga", "Woonstichting", "woningcorporatie")

    _raises(UnknownCode, "unknown_code", store.join, "ABCD-2345", "x", "X", "Y", "")
    _raises(UnknownCode, "unknown_code", store.join, "ik weet de code niet", "x", "X", "Y", "")
    _raises(AlreadyMember, "already_member", store.join, plan.code, "owner", "A", "B", "")
    _raises(AlreadyMember, "already_member", store.join, plan.code, "partner", "A", "B", "")

    for call, args in [
        (store.add_contribution, (plan.id, "outsider", 1, "bijdrage", "tekst")),
        (store.add_measurement, (plan.id, "outsider", "meldingen", "mei", "2025-05", 1)),
        (store.set_profile, (plan.id, "outsider", "O", "W", "")),
        (store.touch, (plan.id, "outsider")),
        (store.news_for, (plan.id, "outsider")),
        (store.leave, (plan.id, "outsider")),
        (store.add_contribution, ("no-such-plan", "partner", 1, "bijdrage", "tekst")),
    ]:
        _raises(NotParticipant, "not_participant", call, *args)

    for call, args in [
        (store.update_plan, (plan.id, "partner", {}, {})),
        (store.close_plan, (plan.id, "partner")),
        (store.remove_participant, (plan.id, "partner", partner.id)),
        (store.remove_participant, (plan.id, "other-owner", partner.id)),
        (store.close_plan, ("no-such-plan", "owner")),
    ]:
        _raises(NotOwner, "not_owner", call, *args)

    owner = store.participant(plan.id, "owner")
    for participant_id in (outsider.id, owner.id, 999_999):
        _raises(
            UnknownParticipant,
            "unknown_participant",
            store.remove_participant,
            plan.id,
            "owner",
            participant_id,
        )
    _raises(OwnerCannotLeave, "owner_cannot_leave", store.leave, plan.id, "owner")

    with pytest.raises(ValueError):
        store.add_contribution(plan.id, "partner", 7, "bijdrage", "tekst")
    with pytest.raises(ValueError):
        store.add_contribution(plan.id, "partner", 1, "roddel", "tekst")
    with pytest.raises(ValueError):
        store.add_contribution(plan.id, "partner", 1, "bijdrage", "   ")
    with pytest.raises(ValueError):
        store.add_measurement(plan.id, "partner", "meldingen", "mei", "2025-05", float("nan"))
    with pytest.raises(TypeError):
        store.create_plan("owner", ["not", "a", "dict"], {})  # type: ignore[arg-type]
    assert store.contributions(plan.id) == [] and store.measurements(plan.id) == []


def test_leave_and_rejoin(store: SharedPlanStore) -> None:
    plan, _ = _plan_with_partner(store)
    store.add_contribution(plan.id, "partner", 1, "bijdrage", "Eerste bijdrage.")
    store.leave(plan.id, "partner")
    assert [p.sender_id for p in store.participants(plan.id)] == ["owner"]
    assert [p.sender_id for p in store.participants(plan.id, active_only=False)] == [
        "owner",
        "partner",
    ]
    _raises(NotParticipant, "not_participant", store.leave, plan.id, "partner")
    _raises(
        NotParticipant,
        "not_participant",
        store.add_contribution,
        plan.id,
        "partner",
        1,
        "bijdrage",
        "Te laat.",
    )
    back = store.join(plan.code, "partner", "Petra", "Politie West", "politie")
    assert back.active and back.name == "Petra" and back.organisation == "Politie West"
    assert store.contributions(plan.id)[0].author == "Petra"  # the current profile


def test_removed_participant_cannot_return_and_links_rotate(store: SharedPlanStore) -> None:
    plan, partner = _plan_with_partner(store)
    removed = store.remove_participant(plan.id, "owner", partner.id)
    assert removed.id == partner.id and not removed.active and removed.removed
    after = store.get_plan(plan.id)
    assert after.doc_token != plan.doc_token and after.code != plan.code  # both rotate
    _raises(UnknownCode, "unknown_code", store.join, plan.code, "partner", "P", "Q", "")
    _raises(NotParticipant, "not_participant", store.join, after.code, "partner", "P", "Q", "")
    _raises(NotParticipant, "not_participant", store.news_for, plan.id, "partner")
    _raises(
        NotParticipant,
        "not_participant",
        store.add_measurement,
        plan.id,
        "partner",
        "meldingen",
        "mei",
        "2025-05",
        3,
    )
    assert store.current_participation("partner") is None
    # Removing again changes nothing (and does not rotate the links again).
    store.remove_participant(plan.id, "owner", partner.id)
    assert store.get_plan(plan.id).doc_token == after.doc_token
    assert store.get_plan(plan.id).code == after.code


def test_closed_plan_refuses_changes(store: SharedPlanStore) -> None:
    plan, _ = _plan_with_partner(store)
    store.close_plan(plan.id, "owner")
    _raises(PlanClosed, "closed", store.update_plan, plan.id, "owner", {}, {})
    _raises(PlanClosed, "closed", store.join, plan.code, "late", "L", "M", "")
    _raises(
        PlanClosed,
        "closed",
        store.add_contribution,
        plan.id,
        "partner",
        2,
        "voorstel",
        "Nog een idee.",
    )
    _raises(
        PlanClosed,
        "closed",
        store.add_measurement,
        plan.id,
        "partner",
        "meldingen",
        "juni",
        "2025-06",
        2,
    )
    assert store.close_plan(plan.id, "owner").status == "closed"  # idempotent
    assert store.contributions(plan.id) == []


def test_create_plan_retries_on_code_collision(
    store: SharedPlanStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.create_plan("owner", {}, {})
    codes = iter([first.code, first.code, "ZZZZ-2222"])
    monkeypatch.setattr(store_module, "new_join_code", lambda: next(codes))
    second = store.create_plan("owner", {}, {})
    assert second.code == "ZZZZ-2222"
    assert len(store.participants(second.id)) == 1  # the failed tries left nothing behind


# --- isolation ----------------------------------------------------------------------------------


def test_plans_never_mix(store: SharedPlanStore) -> None:
    a = store.create_plan("anna", {"problem": "A"}, {})
    b = store.create_plan("bob", {"problem": "B"}, {})
    for plan in (a, b):
        store.join(plan.code, "shared-partner", "Sam", "Politie", "politie")
    for plan, tag in ((a, "A"), (b, "B")):
        owner = plan.owner_sender
        store.add_contribution(plan.id, owner, 1, "bijdrage", f"{tag} owner")
        store.add_contribution(plan.id, "shared-partner", 3, "bijdrage", f"{tag} partner")
        store.add_measurement(plan.id, "shared-partner", f"{tag} meldingen", "mei", "2025-05", 1)
    for plan, tag in ((a, "A"), (b, "B")):
        members = {p.id for p in store.participants(plan.id)}
        contributions = store.contributions(plan.id)
        measurements = store.measurements(plan.id)
        assert [c.text for c in contributions] == [f"{tag} owner", f"{tag} partner"]
        assert all(c.plan_id == plan.id and c.participant_id in members for c in contributions)
        assert [m.indicator for m in measurements] == [f"{tag} meldingen"]
        news, _ = store.news_for(plan.id, "shared-partner")
        assert [c.text for c in news] == [f"{tag} owner"]
    _raises(NotParticipant, "not_participant", store.touch, a.id, "bob")
    store.leave(a.id, "shared-partner")
    assert store.participant(b.id, "shared-partner").active
    assert store.get_plan(a.id).answers == {"problem": "A"}


# --- join codes ---------------------------------------------------------------------------------


def test_new_join_code_format() -> None:
    codes = {new_join_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
        assert any(ch.isdigit() for ch in code)
        assert find_code(code) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("K7QM-4MXZ", "K7QM-4MXZ"),
        ("k7qm 4mxz", "K7QM-4MXZ"),
        ("K7QM4MXZ", "K7QM-4MXZ"),
        ("ik wil meedoen met plan K7QM4MXZ", "K7QM-4MXZ"),
        ("Mijn code is k7qm-4mxz, lukt dat?", "K7QM-4MXZ"),
        ("Ik wil graag meedoen: code ABCD 2345 graag", "ABCD-2345"),
        ("deze K7QM 4MXZ", "K7QM-4MXZ"),
        ("code K7QM – 4MXZ", "K7QM-4MXZ"),
        ("de oude code was K7Q-4MX", "K7Q-4MX"),
    ],
)
def test_find_code_in_dutch_sentences(text: str, code: str) -> None:
    assert find_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ik wil meedoen met het plan van de gemeente",
        "WAAR KAN IK DIT VINDEN",
        "samenwerking tussen politie",
        "in het 4de kwartaal van 2025",
        "van 2024-2025 was het rustig",
        "postcode 5622 AB of 5622AB",
        "K7QM-4MXZ9",
        "K7QM-IOL1",
    ],
)
def test_find_code_rejects_plain_text(text: str) -> None:
    assert find_code(text) is None


# --- concurrency --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """scripts/bench_sharing.py; its folder on sys.path so spawned workers can import it too."""
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    return importlib.import_module("bench_sharing")


def test_concurrent_processes_lose_nothing(db_url: str, bench: ModuleType) -> None:
    processes, writes = 4, 50
    result = bench.run_load(db_url, processes, writes, timeout=120)
    assert result.expected == processes * writes * 4
    assert (result.found, result.lost, result.mixed, result.duplicates) == (
        result.expected,
        0,
        0,
        0,
    )
    assert len(result.latencies_ms) == result.expected
    assert result.ok
