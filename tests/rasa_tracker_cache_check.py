"""Run in the Rasa environment by test_tracker_cache.py: HotTrackerStore against a fresh read.

Two stores ("replicas") share one SQLite file and take turns in one conversation, as two Rasa
servers behind one lock store do. After every step each replica's view is compared with what
Rasa's own SQLTrackerStore reads from the database. Steps: alternating turns, a turn that fails
before it is saved, a refused text (redaction), a new session started by the other replica,
a purge of the conversation, and a restart (a new store). Prints a JSON report.
"""

import asyncio
import json
import sys

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from rasa_ext.tracker_store import HotTrackerStore, redaction

DOMAIN = Domain.from_dict(
    {
        "intents": ["inform"],
        "slots": {
            "plan_problem": {"type": "text", "mappings": [{"type": "from_text"}]},
            "turns": {"type": "float", "mappings": [{"type": "custom"}]},
        },
    }
)
SENDER = "web-cache"


def view(tracker) -> dict:
    """What a turn depends on: the events and the state, as JSON."""
    if tracker is None:
        return {}
    events = [e.as_dict() for e in tracker.events]
    return json.loads(json.dumps({"events": events, "slots": tracker.current_slot_values()}))


class Counting(HotTrackerStore):
    """Counts full reads and counts of stored rows, to show that the cache is used."""

    full_reads = 0
    row_counts = 0  # Rasa's count of the session's rows before a save (grows with it)

    def _load(self, sender_id):
        self.full_reads += 1
        return super()._load(sender_id)

    def _additional_events(self, session, tracker):
        self.row_counts += 1
        return super()._additional_events(session, tracker)


def turn(tracker, i: int, text: str = "") -> None:
    text = text or f"overlast bij het station {i}"
    tracker.update(UserUttered(text, {"name": "inform"}, parse_data={"text": text}))
    tracker.update(SlotSet("plan_problem", text))
    tracker.update(SlotSet("turns", float(i)))
    tracker.update(ActionExecuted("utter_ok"))
    tracker.update(BotUttered(f"Dank je ({i})."))
    tracker.update(ActionExecuted("action_listen"))


async def main(db: str) -> dict:
    def store(cls=Counting):
        return cls(domain=DOMAIN, dialect="sqlite", db=db)

    replicas = [store(), store()]
    fresh_store = store(SQLTrackerStore)
    report: dict = {"mismatches": [], "steps": 0}

    async def check(step: str) -> None:
        fresh = view(await fresh_store.retrieve(SENDER))
        for n, replica in enumerate(replicas):
            if view(await replica.retrieve(SENDER)) != fresh:
                report["mismatches"].append(f"{step}: replica {n}")
        report["steps"] += 1

    first = await replicas[0].get_or_create_tracker(SENDER)
    first.update(ActionExecuted("action_session_start"))
    first.update(SessionStarted())
    first.update(ActionExecuted("action_listen"))
    await replicas[0].save(first)
    for i in range(40):  # alternate turns between the replicas
        replica = replicas[i % 2]
        tracker = await replica.get_or_create_tracker(SENDER)
        turn(tracker, i)
        await replica.save(tracker)
        await check(f"turn {i}")
    report["full_reads_after_turns"] = [r.full_reads for r in replicas]
    report["row_counts_after_turns"] = [r.row_counts for r in replicas]
    report["events"] = len((await fresh_store.retrieve(SENDER)).events)

    failed = await replicas[0].retrieve(SENDER)  # a turn that fails before it is saved
    turn(failed, 99, "dit wordt nooit opgeslagen")
    await check("failed turn")
    report["row_counts_before_failed_save"] = sum(r.row_counts for r in replicas)
    await replicas[0].save(failed)  # saved late, after a fresh read replaced it in the cache
    await check("failed turn saved late")
    report["failed_turn_saved_counted"] = (
        sum(r.row_counts for r in replicas) == report["row_counts_before_failed_save"] + 1
    )

    refused = await replicas[1].retrieve(SENDER)  # a refused text, redacted when saved
    turn(refused, 100, "mijn naam is Jan Jansen")
    refused.update(BotUttered("Niet opgeslagen.", metadata={redaction.REDACT_KEY: True}))
    await replicas[1].save(refused)
    await check("redaction")
    views = [json.dumps(view(await r.retrieve(SENDER))) for r in replicas]
    report["redacted_everywhere"] = all("Jan Jansen" not in v for v in views)

    later = await replicas[0].retrieve(SENDER)  # replica 0 starts a new session
    later.update(ActionExecuted("action_session_start"))
    later.update(SessionStarted())
    later.update(SlotSet("turns", 1.0))
    later.update(ActionExecuted("action_listen"))
    await replicas[0].save(later)
    await check("new session")
    newest = await replicas[1].retrieve(SENDER)
    turn(newest, 200)
    await replicas[1].save(newest)
    await check("turn in the new session")
    report["events_new_session"] = len((await fresh_store.retrieve(SENDER)).events)

    replicas.append(store())  # a restarted server
    await check("restart")

    with fresh_store.session_scope() as session:  # purge (knowledge.retention) removes it all
        session.query(SQLTrackerStore.SQLEvent).delete()
        session.commit()
    await check("purge")
    report["after_purge"] = [await r.retrieve(SENDER) is None for r in replicas]
    return report


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
