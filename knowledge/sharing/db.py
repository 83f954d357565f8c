"""Where shared plans live (SQLite file by default, PostgreSQL by URL) and how to migrate it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DATABASE_URL_SETTING = "METHODEWIJZER_DATABASE_URL"
DATA_DIR_SETTING = "METHODEWIJZER_DATA_DIR"
ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 10  # below Rasa's wait for the action server (20 s)


def database_url() -> str:
    """The configured URL, else a SQLite file in the data directory (created when missing)."""
    url = os.environ.get(DATABASE_URL_SETTING, "").strip()
    if url:
        return url
    data_dir = Path(os.environ.get(DATA_DIR_SETTING) or ROOT / "data")
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir}/methodewijzer.sqlite"


def _normalise(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 here (psycopg2 is not installed)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    """An engine on which concurrent writers from several processes queue instead of failing."""
    url = _normalise(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Take BEGIN away from pysqlite so that we can emit BEGIN IMMEDIATE ourselves.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            # Take the write lock up front: a deferred transaction that reads first and writes
            # later fails with SQLITE_BUSY instead of waiting when another writer got in between.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    return create_engine(url)


def alembic_config(url: str | None = None) -> Any:
    """Alembic configuration built in code: independent of the working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not as an ini option: '%' in passwords would break interpolation.
    config.attributes["url"] = _normalise(url or database_url())
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database of an existing engine to the newest schema."""
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    # One transaction (BEGIN IMMEDIATE on SQLite): concurrent migrators wait for each other.
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def migrate(url: str) -> None:
    """`alembic upgrade head` on the database at url (safe to run again and concurrently)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
