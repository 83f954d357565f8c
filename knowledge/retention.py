"""How long conversations are kept: the retention rule behind `python -m knowledge purge`.

Rasa's SQL tracker store keeps every event of a conversation in the table ``events``
(``sender_id``, ``timestamp`` in Unix seconds). A conversation whose newest event is older than
the retention period is removed as a whole; conversations still in use keep their history.
Works on SQLite and PostgreSQL through SQLAlchemy. `make run` (scripts/serve.py) runs it at
start and once a day.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

RETENTION_SETTING = "METHODEWIJZER_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
TRACKER_URL_SETTING = "METHODEWIJZER_TRACKER_URL"  # e.g. a PostgreSQL tracker store
TRACKER_DB_SETTING = "RASA_TRACKER_DB"  # the SQLite file of bot/endpoints.yml
DAY = 24 * 3600


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int


def retention_days(env: Mapping[str, str] | None = None) -> int:
    """METHODEWIJZER_RETENTION_DAYS (default 90); a wrong value is an error, not 'forever'."""
    raw = (os.environ if env is None else env).get(RETENTION_SETTING, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            f"{RETENTION_SETTING} moet een heel aantal dagen (1 of meer) zijn: {raw!r}"
        )
    return int(raw)


def tracker_url(env: Mapping[str, str] | None = None) -> str | None:
    """The tracker store's database URL, or None when there is none yet."""
    env = os.environ if env is None else env
    if env.get(TRACKER_URL_SETTING):
        return env[TRACKER_URL_SETTING]
    db = env.get(TRACKER_DB_SETTING)
    return f"sqlite:///{db}" if db and Path(db).exists() else None


def purge_conversations(url: str, days: int, now: float | None = None) -> PurgeResult:
    """Delete the events of every conversation whose last event is older than ``days``."""
    cutoff = (time.time() if now is None else now) - days * DAY
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table("events"):
            return PurgeResult(0, 0)
        events = sa.Table("events", sa.MetaData(), autoload_with=engine)
        old = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as connection:
            senders = [row[0] for row in connection.execute(old)]
            deleted = 0
            for start in range(0, len(senders), 500):
                chunk = senders[start : start + 500]
                deleted += connection.execute(
                    sa.delete(events).where(events.c.sender_id.in_(chunk))
                ).rowcount
        return PurgeResult(len(senders), deleted)
    finally:
        engine.dispose()


def private_sqlite(url: str) -> None:
    """Make a SQLite database file readable for its owner only (mode 0600)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if path.exists():
            path.chmod(0o600)
