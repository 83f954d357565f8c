"""Run in the Rasa environment by test_retention.py: the real tracker store, a real SQLite file.

Three turns as Rasa writes them: a refused text whose user message was written before the
refusal, the refusal with the marker, then an ordinary turn. Prints the stored rows as JSON.
"""

import asyncio
import json
import os
import sqlite3
import stat
import sys

from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from rasa_ext.tracker_store import redaction


async def main(db: str, text: str) -> dict:
    domain = Domain.from_dict(
        {"slots": {"plan_problem": {"type": "text", "mappings": [{"type": "from_text"}]}}}
    )
    store = create_tracker_store(
        EndpointConfig(
            type="rasa_ext.tracker_store.RedactingSQLTrackerStore", dialect="sqlite", db=db
        ),
        domain,
    )
    tracker = DialogueStateTracker("web-x", domain.slots)
    parse = {"text": text, "intent": {"name": "inform"}}
    tracker.update(UserUttered(text, {"name": "inform"}, parse_data=parse))
    tracker.update(SlotSet("plan_problem", text))
    await store.save(tracker)
    tracker.update(ActionExecuted("validate_planner_form"))
    tracker.update(BotUttered("Niet opgeslagen.", metadata={redaction.REDACT_KEY: True}))
    tracker.update(SlotSet("plan_problem", None))
    await store.save(tracker)
    tracker.update(UserUttered("overlast bij het station", {"name": "inform"}))
    tracker.update(BotUttered("Dank je."))
    await store.save(tracker)
    again = await store.retrieve("web-x")
    rows = [json.loads(r[0]) for r in sqlite3.connect(db).execute("SELECT data FROM events")]
    return {
        "retrieved": len(again.events),
        "mode": stat.S_IMODE(os.stat(db).st_mode),
        "rows": rows,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2]))))
