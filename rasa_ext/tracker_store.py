"""Tracker store that keeps refused texts out of the conversation log (bot/endpoints.yml).

Rasa's SQLTrackerStore, with two changes:

- Before a turn is written, texts the personal-data check refused are replaced by
  "[verwijderd]" (the user message and the slot values that hold it). The rule is
  knowledge/redaction.py, loaded by path: this module runs in the Rasa environment, which cannot
  import the knowledge package.
- A SQLite database file is created with mode 0600 (only the service account can read it).

HotTrackerStore (bot/endpoints.yml) adds a cache of recent trackers, see its docstring.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from rasa_ext import action_payload, action_validation, log_privacy, policy_states

logger = logging.getLogger(__name__)
log_privacy.install()  # this store is always loaded: Rasa's own logs keep no user texts either
# Patches of Rasa 3.6 that keep the cost of a turn down (docs/performance.md).
action_validation.install()  # responses are checked by one prepared validator
action_payload.install()  # requests carry the recent turns, not the whole session
policy_states.install()  # the policies share one computation of the past states

_RULE_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "redaction.py"
_spec = importlib.util.spec_from_file_location("methodewijzer_redaction", _RULE_FILE)
redaction = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(redaction)


def private_file(path: str) -> None:
    """Create ``path`` with mode 0600 if missing; tighten it if it exists."""
    if not path or path == ":memory:":
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store that redacts refused texts before they are written."""

    def __init__(
        self, dialect: str = "sqlite", db: str = "rasa.db", **kwargs: dict[str, Any]
    ) -> None:
        if dialect == "sqlite":
            private_file(db)
        super().__init__(dialect=dialect, db=db, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the events not stored yet, redacted (same rows as SQLTrackerStore.save)."""
        await self._write(tracker)

    async def _write(
        self, tracker: DialogueStateTracker, stored: int | None = None
    ) -> tuple[int | None, bool]:
        """Write the new events as ``save`` does; (id of the last row written, whether the
        stored events differ from the tracker's: a redaction or a new session).

        ``stored``: how many of the tracker's events are stored already, when the caller knows;
        else Rasa counts the rows of the latest session (a query that grows with the session).
        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            if stored is None:
                events = list(self._additional_events(session, tracker))
            else:
                events = list(itertools.islice(tracker.events, stored, None))
            new = [event.as_dict() for event in events]
            earlier = redaction.marker_without_user(new)  # rows written before get redacted
            stored = self._redact_stored_user(session, tracker.sender_id, new) if earlier else new
            stored = redaction.redact_events(stored)
            rows = [self._row(tracker.sender_id, data) for data in stored]
            session.add_all(rows)
            session.flush()  # assigns the ids
            last_id = rows[-1].id if rows else None
            session.commit()
        differs = (
            earlier or stored != new or any(d.get("event") == SessionStarted.type_name for d in new)
        )
        return last_id, differs

    def _row(self, sender_id: str, data: dict[str, Any]) -> Any:
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=data.get("event"),
            timestamp=data.get("timestamp"),
            intent_name=(data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    def _redact_stored_user(
        self, session: Any, sender_id: str, new: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The refused message was written earlier: redact its stored turn, return ``new``."""
        last_user = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.type_name == "user")
            .order_by(self.SQLEvent.id.desc())
            .first()
        )
        if last_user is None:
            return new
        rows = (
            session.query(self.SQLEvent)
            .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id >= last_user.id)
            .order_by(self.SQLEvent.id)
            .all()
        )
        redacted = redaction.redact_events([json.loads(row.data) for row in rows] + new)
        for row, data in zip(rows, redacted[: len(rows)], strict=True):
            row.data = json.dumps(data)
        return redacted[len(rows) :]


@dataclass
class _Hot:
    tracker: DialogueStateTracker
    last_id: int  # id of the newest stored event the tracker holds
    length: int  # len(tracker.events) when it was equal to the stored session


class HotTrackerStore(RedactingSQLTrackerStore):
    """The redacting SQL store with the last ``hot_trackers`` trackers kept in memory.

    Rasa's SQLTrackerStore reads and replays every event of the session on each turn, so a turn
    costs more the longer the conversation is. This store keeps each recent tracker together
    with the id of the newest stored event it holds. A retrieve asks the database only for the
    rows of that sender with an id at or above it (one indexed query) and replays just the new
    ones. It stays correct when several Rasa servers share one database and one lock store
    (Rasa handles a conversation under its lock, so rows of one sender are written by one
    server at a time and their ids only grow):
    - events another server wrote are read and appended;
    - the tracker is read in full again when that is not certain: the known newest row is gone
      (purged), another server started a new session or redacted a refused text, the tracker
      in memory changed without being saved (a turn that failed), or it was not cached;
    - after this server redacts a text or starts a new session, the entry is dropped, so the
      next read is the stored (redacted, latest-session) view;
    - a restart starts with an empty cache. With an event broker configured it does not cache
      (the broker's difference is computed from a fresh read).
    """

    def __init__(
        self,
        dialect: str = "sqlite",
        db: str = "rasa.db",
        hot_trackers: int = 500,
        **kwargs: dict[str, Any],
    ) -> None:
        super().__init__(dialect=dialect, db=db, **kwargs)
        self.hot_trackers = int(hot_trackers)
        self._hot: OrderedDict[str, _Hot] = OrderedDict()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        hot = self._hot.pop(sender_id, None)
        if hot is None or self.event_broker is not None or len(hot.tracker.events) != hot.length:
            return self._load(sender_id)
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent.id, self.SQLEvent.type_name, self.SQLEvent.data)
                .filter(self.SQLEvent.sender_id == sender_id, self.SQLEvent.id >= hot.last_id)
                .order_by(self.SQLEvent.id)
                .all()
            )
        if not rows or rows[0].id != hot.last_id:
            return self._load(sender_id)  # the rows it was read from are gone
        new = [json.loads(row.data) for row in rows[1:]]
        if any(d.get("event") == SessionStarted.type_name or redaction.is_marker(d) for d in new):
            return self._load(sender_id)
        for event in deserialise_events(new):
            hot.tracker.update(event)
        self._keep(sender_id, hot.tracker, rows[-1].id)
        return hot.tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        hot = self._hot.pop(tracker.sender_id, None)
        # The cached tracker was equal to the stored session at ``length`` events (Rasa wrote
        # nothing else for this sender meanwhile: it holds the conversation's lock), so the
        # events after it are the new ones; no count of the stored rows is needed.
        known = (
            hot.length
            if hot is not None
            and hot.tracker is tracker
            and tracker.events.maxlen is None  # a bounded history drops old events
            and len(tracker.events) >= hot.length
            else None
        )
        last_id, differs = await self._write(tracker, known)
        if differs or self.event_broker is not None:
            return
        if last_id is None and hot is not None and hot.tracker is tracker:
            last_id = hot.last_id  # nothing new was written
        if last_id is not None:
            self._keep(tracker.sender_id, tracker, last_id)

    def _load(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session read in full, as SQLTrackerStore.retrieve does; cached."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
            rows = [(row.id, row.data) for row in rows.all()]
        if not self.domain or not rows:
            return None
        events = [json.loads(data) for _, data in rows]
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if self.event_broker is None:
            self._keep(sender_id, tracker, rows[-1][0])
        return tracker

    def _keep(self, sender_id: str, tracker: DialogueStateTracker, last_id: int) -> None:
        self._hot[sender_id] = _Hot(tracker, last_id, len(tracker.events))
        while len(self._hot) > self.hot_trackers:
            self._hot.popitem(last=False)
