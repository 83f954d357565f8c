"""Tracker store that keeps refused texts out of the conversation log (bot/endpoints.yml).

Rasa's SQLTrackerStore, with two changes:

- Before a turn is written, texts the personal-data check refused are replaced by
  "[verwijderd]" (the user message and the slot values that hold it). The rule is
  knowledge/redaction.py, loaded by path: this module runs in the Rasa environment, which cannot
  import the knowledge package.
- A SQLite database file is created with mode 0600 (only the service account can read it).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from rasa_ext import log_privacy

logger = logging.getLogger(__name__)
log_privacy.install()  # this store is always loaded: Rasa's own logs keep no user texts either

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
        await self.stream_events(tracker)
        with self.session_scope() as session:
            new = [event.as_dict() for event in self._additional_events(session, tracker)]
            if redaction.marker_without_user(new):
                new = self._redact_stored_user(session, tracker.sender_id, new)
            for data in redaction.redact_events(new):
                session.add(self._row(tracker.sender_id, data))
            session.commit()

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
