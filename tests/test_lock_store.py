"""The lock store keeps one conversation on one replica at a time (issue 13, consistency).

A cluster of two Rasa replicas on PostgreSQL (scripts/cluster.py). A planner conversation waits
for the answer to question 2; two answers of that conversation are sent at the same moment, one
to each replica directly (not through the balancer). With the Redis lock store
(rasa_ext/lock_store.py: Rasa's RedisLockStore, each lock change one Redis transaction) they are
processed one after the other: one reply asks question 3, the other question 4, and in the
tracker store each answer fills its own step, the second user message coming after the first
turn has ended. Without the Redis lock store (each replica has an in-memory lock of its own) the
same pair is processed at once: both fill step 2 and both replies ask question 3, so a step is
lost. That the race is seen at least once in TRIES pairs shows that the first test proves
something; how often it is seen is printed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "scripts" / "load"))
import cluster  # noqa: E402  scripts/cluster.py
import conversation as talk  # noqa: E402  scripts/load/conversation.py

pytestmark = pytest.mark.e2e

TRIES = 4
PROBLEM = "er is veel winkeldiefstal in het winkelcentrum"
# Two answers that each fit question 2 and question 3, so either order is a normal dialogue.
ANSWERS = ("winkeldiefstal is het belangrijkste", "de politie surveilleert af en toe")
SLOTS = ("plan_priorities", "plan_current")  # the slots of question 2 and 3 (knowledge/steps.py)


def post(url: str, sender: str, message: str) -> list[dict]:
    response = httpx.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
    )
    response.raise_for_status()
    return response.json()


def at_question_2(balancer: str) -> str:
    sender = f"lock-{uuid.uuid4().hex[:10]}"
    assert talk.step_asked(post(balancer, sender, talk.START_PLAN)) == 1
    assert talk.step_asked(post(balancer, sender, PROBLEM)) == 2
    return sender


def at_once(urls: list[str], sender: str) -> list[list[dict]]:
    """ANSWERS[i] to urls[i], released at the same moment."""
    barrier = threading.Barrier(len(ANSWERS))
    replies: list[list[dict]] = [[] for _ in ANSWERS]

    def send(i: int) -> None:
        barrier.wait()
        replies[i] = post(urls[i], sender, ANSWERS[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(ANSWERS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def stored_turns(tracker_dsn: str, sender: str) -> list[tuple[str, str]]:
    """The sender's user texts, bot texts and slot fills as stored, in the order of their ids."""
    engine = create_engine(tracker_dsn)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).all()
    finally:
        engine.dispose()
    turns = []
    for (data,) in rows:
        event = json.loads(data)
        if event["event"] in ("user", "bot"):
            turns.append((event["event"], str(event.get("text") or "")))
        elif event["event"] == "slot" and event.get("name") in SLOTS:
            turns.append((f"slot {event['name']}", str(event.get("value"))))
    return turns


def race_seen(replies: list[list[dict]], turns: list[tuple[str, str]]) -> bool:
    """True when the pair was not processed one after the other."""
    asked = sorted(talk.step_asked(r) or 0 for r in replies)
    users = [t for kind, t in turns if kind == "user" and t in ANSWERS]
    filled: list[tuple[str, str]] = []
    for kind, value in turns:  # extraction and validation may both set it: count it once
        if kind.startswith("slot") and value != "None" and (kind, value) not in filled[-1:]:
            filled.append((kind, value))
    ordered = (
        asked == [3, 4]
        and len(users) == 2
        and filled == [(f"slot {SLOTS[0]}", users[0]), (f"slot {SLOTS[1]}", users[1])]
    )
    if ordered:  # the second message comes after the first turn's question 3 was stored
        second = turns.index(("user", users[1]))
        ordered = any("Vraag 3 van 6" in t for kind, t in turns[:second] if kind == "bot")
    return not ordered


@pytest.fixture(scope="module")
def judge() -> talk.Judge:
    return talk.Judge()


def pairs(lock_store: bool, judge: talk.Judge) -> list[bool]:
    # PostgreSQL runs as its own user: a directory it may pass (pytest's tmp_path is 0700)
    with (
        tempfile.TemporaryDirectory(prefix="lock-store-") as data,
        cluster.running_cluster(
            Path(data), rasa_replicas=2, action_replicas=1, lock_store=lock_store
        ) as running,
    ):
        assert len(running.rasa_urls) == 2
        seen = []
        for _ in range(TRIES):
            sender = at_question_2(running.rasa_url)
            replies = at_once(running.rasa_urls, sender)
            for reply in replies:
                assert judge.failure(reply) is None, reply
            turns = stored_turns(running.tracker_dsn, sender)
            seen.append(race_seen(replies, turns))
            asked = [talk.step_asked(r) for r in replies]
            filled = sorted({kind for kind, value in turns if kind.startswith("slot")})
            print(f"\nlock store {lock_store}: gevraagd daarna {asked}, gevuld {filled}")
        return seen


def test_redis_lock_store_orders_two_messages_sent_to_two_replicas(judge):
    seen = pairs(True, judge)
    print(f"\nmet Redis-lock store: race {sum(seen)} van {TRIES} keer")
    assert not any(seen)


def test_without_lock_store_the_race_shows(judge):
    seen = pairs(False, judge)
    print(f"\nzonder Redis-lock store: race {sum(seen)} van {TRIES} keer")
    assert any(seen)
