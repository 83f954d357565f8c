"""The scaled-out topology (make run-cluster) with real engines: nothing lives in one process.

scripts/cluster.py starts PostgreSQL, Redis, 2 Rasa replicas and 2 action servers behind
HAProxy, and the web server. Conversations go through the web server as a browser sends them.
HAProxy's per-server counters show which replica answered each turn, so the test proves that
consecutive turns of one conversation were served by both replicas (shared tracker store and
lock store), that a replica can be killed mid-conversation (at most one message right after the
kill answered "niet bereikbaar"; sent again, it is taken at the right step), and that the
restarted replica continues a conversation it never saw, with the plan in PostgreSQL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from cluster import Cluster, running_cluster  # noqa: E402
from cluster_parts import haproxy_program  # noqa: E402

pytestmark = pytest.mark.e2e

GOAL = "Het aantal winkeldiefstallen in het centrum daalt van 60 naar 40 voor eind 2027."
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})\b")
REPLICAS = {"rasa-1", "rasa-2"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    # Not under pytest's 0700 temp root: PostgreSQL runs as its own user and must get in.
    data = Path(tempfile.mkdtemp(prefix="methodewijzer-cluster-"))
    began = time.monotonic()
    try:
        with running_cluster(data, rasa_replicas=2, action_replicas=2) as running:
            print(f"\ncluster healthy after {time.monotonic() - began:.0f} s")
            yield running
    finally:
        # the services' logs stay with pytest's temporary files (the last runs are kept)
        shutil.copytree(data / "logs", tmp_path_factory.mktemp("cluster-logs"), dirs_exist_ok=True)
        shutil.rmtree(data, ignore_errors=True)


class WebChat:
    """What the chat page does: POST /api/chat with the identity cookie the server issued."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.client = httpx.Client(base_url=cluster.web_url, timeout=90)
        self.served_by: list[str] = []  # the Rasa replica that answered each turn
        self.unreachable = 0  # answers "niet bereikbaar" (HTTP 503) that were sent again

    def say(self, message: str, resend: bool = False) -> list[dict]:
        """One turn. ``resend``: on "niet bereikbaar" send it again, as the page asks the user
        to; the count is kept (and asserted by the test)."""
        before = self.cluster.served("rasa")
        response = self.client.post("/api/chat", json={"message": message})
        if resend and response.status_code == 503:
            self.unreachable += 1
            time.sleep(1)
            before = self.cluster.served("rasa")
            response = self.client.post("/api/chat", json={"message": message})
        assert response.status_code == 200, (message, response.status_code, response.text)
        after = self.cluster.served("rasa")
        changed = [name for name in after if after[name] != before.get(name)]
        assert len(changed) == 1, (before, after)  # one request, one replica
        self.served_by.append(changed[0])
        return response.json()

    def text(self, message: str, resend: bool = False) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message, resend))


def sql(dsn: str, query: str, *args: object) -> list[tuple]:
    with psycopg.connect(dsn.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return connection.execute(query, args).fetchall()


def share(chat: WebChat) -> str:
    """'deel mijn plan' and its questions (name, organisation); returns the join code."""
    answer = chat.text("ik wil mijn plan delen met partners")
    for reply in ("Anna", "Gemeente Utrecht", "Winkelcentrum"):
        found = CODE.search(answer)
        if found:
            return found[1]
        answer = chat.text(reply)
    found = CODE.search(answer)
    assert found, answer
    return found[1]


def test_a_plan_continues_across_replicas_and_a_killed_replica(cluster: Cluster) -> None:
    chat = WebChat(cluster)
    actions_before = sum(cluster.served("actions").values())
    assert "Vraag 1 van 6" in chat.text("ik wil een plan van aanpak maken")
    assert "Vraag 2 van 6" in chat.text("veel winkeldiefstal in het winkelcentrum in het centrum")
    assert "Vraag 3 van 6" in chat.text("winkeldiefstal is het belangrijkste")
    # consecutive turns of this one conversation were answered by both replicas
    assert set(chat.served_by) == REPLICAS, chat.served_by
    assert len(set(chat.served_by[:2])) == 2, chat.served_by

    # rasa-1 dies between two turns: HAProxy sends the next turns to rasa-2, at the same step
    killed_pid = cluster.kill("rasa-1")
    killed = time.monotonic()
    # At most one message right after the kill may be refused with "niet bereikbaar"; sent
    # again it is taken at the right step, so it was not half processed either.
    assert "Vraag 4 van 6" in chat.text("de politie surveilleert af en toe", resend=True)
    assert "Vraag 5 van 6" in chat.text(GOAL, resend=True)
    chat.say('/inform{"method": "kvo"}', resend=True)
    replies = chat.say("aangiftes bij de politie, evaluatie elk kwartaal", resend=True)
    assert chat.unreachable <= 1, chat.unreachable
    plan = next(m["custom"] for m in replies if (m.get("custom") or {}).get("type") == "plan")
    assert plan["url"].endswith(".docx")
    assert set(chat.served_by[3:]) == {"rasa-2"}, chat.served_by
    deadline = time.monotonic() + 30  # HAProxy's own health checks take rasa-1 out too
    while cluster.balancer_up("rasa")["rasa-1"] and time.monotonic() < deadline:
        time.sleep(0.5)
    assert cluster.balancer_up("rasa")["rasa-1"] is False

    # shared: the plan goes to the plan store in PostgreSQL
    code = share(chat)
    owners = sql(cluster.postgres_dsn, "SELECT owner_sender FROM plans WHERE code = %s", code)
    assert len(owners) == 1 and owners[0][0].startswith("web-"), owners
    owner = owners[0][0]

    # the supervisor restarts rasa-1; it serves this conversation, which it never saw, from
    # the tracker store in PostgreSQL
    restart_seconds = cluster.wait_restarted("rasa-1", killed_pid, timeout=400)
    deadline = time.monotonic() + 30
    while not cluster.balancer_up("rasa")["rasa-1"] and time.monotonic() < deadline:
        time.sleep(0.5)
    back = time.monotonic() - killed
    turns = [chat.text("laat het plan zien") for _ in range(2)]
    assert "rasa-1" in chat.served_by[-2:], chat.served_by
    assert all("Gemeente Utrecht" in t or "Anna" in t for t in turns), turns
    stored = sql(
        cluster.tracker_dsn,
        "SELECT count(*), count(DISTINCT type_name) FROM events WHERE sender_id = %s",
        owner,
    )[0]
    assert stored[0] > 20 and stored[1] >= 3, stored
    # the action calls were spread over both action servers too
    per_action = cluster.served("actions")
    assert sum(per_action.values()) > actions_before and all(per_action.values()), per_action
    print(
        f"\nturns by replica: {chat.served_by}; rasa-1 restarted in {restart_seconds:.0f} s, "
        f"serving again {back:.0f} s after the kill; 'niet bereikbaar' {chat.unreachable}x"
    )


def test_join_failures_count_for_all_replicas(cluster: Cluster) -> None:
    """Wrong join codes sent through both replicas and both action servers add up."""
    guesser = WebChat(cluster)
    codes = ["ZZZZ-9999", "ZZZZ-8888", "YYYY-9999", "YYYY-8888", "XXXX-9999"]
    answers = [guesser.text(f"ik wil meedoen met plan {code}") for code in codes]
    assert all("ken ik niet" in a for a in answers), answers
    refused = guesser.text("ik wil meedoen met plan XXXX-8888")
    assert "te vaak een onjuiste code" in refused, refused
    assert set(guesser.served_by) == REPLICAS, guesser.served_by


def test_locks_and_rate_limits_are_in_redis(cluster: Cluster) -> None:
    """Rasa's ticket locks (db 1) and the web server's rate limits (db 2) went through Redis."""
    client = redis.Redis.from_url(cluster.redis_url)
    calls = {
        name.removeprefix("cmdstat_"): stats["calls"]
        for name, stats in client.info("commandstats").items()
    }
    assert calls.get("set", 0) > 0 and calls.get("get", 0) > 0, calls  # RedisLockStore
    assert calls.get("zadd", 0) > 0, calls  # RedisRateLimiter


def test_the_multi_host_files_are_valid(tmp_path: Path) -> None:
    """deploy/: the systemd units pass `systemd-analyze verify` (paths pointed at this
    checkout), and the HAProxy configuration for other hosts passes `haproxy -c`."""
    for unit in (ROOT / "deploy" / "systemd").iterdir():
        text = unit.read_text().replace("/opt/methodewijzer", str(ROOT))
        name = unit.name.replace("@.service", "@5005.service")
        (tmp_path / name).write_text(text)
    units = sorted(f"./{p.name}" for p in tmp_path.iterdir())
    assert len(units) == 7, units
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
    config = subprocess.run(
        [
            *(sys.executable, str(ROOT / "scripts" / "run_cluster.py"), "--haproxy-config"),
            *("--rasa", "10.0.0.11:5005,10.0.0.11:5006", "--actions", "10.0.0.12:5055"),
            *("--bind", "10.0.0.10"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "server rasa-2 10.0.0.11:5006 check" in config
    (tmp_path / "haproxy.cfg").write_text(config)
    haproxy = subprocess.run(
        [haproxy_program(), "-c", "-f", str(tmp_path / "haproxy.cfg")],
        capture_output=True,
        text=True,
    )
    assert haproxy.returncode == 0, haproxy.stdout + haproxy.stderr
