"""The fault run of `make bench-cluster-fault` (scripts/bench_cluster.py --fault).

Starts the cluster (scripts/cluster.py: 2 Rasa replicas, 2 action servers, HAProxy, PostgreSQL,
Redis) and puts the Locust load of scripts/load/locustfile.py on it with 20 conversations. After
FIRST_KILL seconds one Rasa replica is killed (SIGKILL to its process group), SECOND_KILL seconds
after the start one action server; the supervisor restarts both. Prints the errors (what
scripts/load/conversation.py counts) in the minute after each kill, messages under way at the
kill included (target: at most 1 % of them) and outside those minutes (target: 0), and checks that every planner
conversation that was under way at a kill finished at the right step with its plan in the
PostgreSQL plan store (knowledge.sharing.store: the sender's current plan holds its last answer).
Conversations still under way when the load stops are allowed to finish (Locust --stop-timeout).

Users take --think seconds (default 5) to answer, as people do. Messages in flight on the killed
process are what can fail (HAProxy sends them to another replica when the connection closed
without an answer), so the more messages wait in an overloaded cluster, the more can fail.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cluster  # scripts/cluster.py

from knowledge.sharing.store import SharedPlanStore

USERS = 20
FIRST_KILL = 60.0  # seconds after the load started: one Rasa replica
SECOND_KILL = 180.0  # one action server
AFTER = 120.0  # seconds of load after the second kill
WINDOW = 60.0  # "the minute after the kill"
TARGET_IN_WINDOW = 0.01
FINISH_TIMEOUT = 240.0  # seconds conversations under way at the end may take to finish


def share(errors: int, sent: int) -> str:
    return f"{errors}/{sent} ({errors / sent:.1%})" if sent else "0/0"


def plan_stored(store: SharedPlanStore, sender: str, last_answer: str) -> bool:
    participation = store.current_participation(sender)
    plan = store.get_plan(participation.plan_id) if participation else None
    if plan is None or plan.owner_sender != sender:
        return False
    return " ".join(str(plan.answers.get("plan_monitoring") or "").split()) == " ".join(
        last_answer.split()
    )


def in_window(request: dict, since: float, until: float) -> bool:
    """A message belongs to a kill's window when it was under way at the kill or sent in the
    minute after it: sent before ``until`` and answered (or failed) at or after ``since``. A
    message sent a moment before the kill and lost with the killed replica is the kill's."""
    return request["start"] < until and request["start"] + request["ms"] / 1000 >= since


def split_by_windows(
    requests: list[dict], windows: list[tuple[float, float, str]]
) -> tuple[dict[str, list[dict]], list[dict]]:
    """The requests of each kill's window (by name), and the rest."""
    inside: dict[str, list[dict]] = {name: [] for _, _, name in windows}
    outside: list[dict] = []
    for r in requests:
        owner = next((n for s, e, n in windows if in_window(r, s, e)), None)
        (inside[owner] if owner else outside).append(r)
    return inside, outside


def in_flight(conversations: dict[str, dict], moment: float) -> list[dict]:
    """Conversations that had started and not ended at ``moment`` (all with a planner run)."""
    return [
        c for c in conversations.values() if c["start"] <= moment and c.get("end", 1e18) > moment
    ]


def main(args: argparse.Namespace, run_locust: Callable, base: Callable[[str], str]) -> int:
    total = SECOND_KILL + AFTER
    with (
        tempfile.TemporaryDirectory(prefix="bench-fault-") as data,
        cluster.running_cluster(
            Path(data), rasa_replicas=args.replicas, action_replicas=2, timeout=args.timeout
        ) as running,
    ):
        url = base(running.rasa_url)
        print("[fout-run] opwarmen: 4 gesprekken, 20 s (niet geteld)", flush=True)
        run_locust(url, 4, 20)
        kills: dict[str, float] = {}
        waiting: list[threading.Thread] = []

        def back(name: str, pid: int) -> None:
            seconds = running.wait_restarted(name, pid, timeout=900)
            print(f"[fout-run] {name} na {seconds:.0f} s weer gezond", flush=True)

        def kill(name: str) -> None:
            kills[name] = time.time()
            pid = running.kill(name)
            print(f"[fout-run] {name} gestopt met SIGKILL (pid {pid})", flush=True)
            # the restart is awaited beside the load: the next kill keeps its time
            waiting.append(threading.Thread(target=back, args=(name, pid), daemon=True))
            waiting[-1].start()

        def during(started: float) -> None:
            time.sleep(max(0.0, started + FIRST_KILL - time.time()))
            kill("rasa-1")
            time.sleep(max(0.0, started + SECOND_KILL - time.time()))
            kill("action-1")

        load = run_locust(
            url, USERS, total, stop_timeout=FINISH_TIMEOUT, think=args.think, during=during
        )
        for thread in waiting:
            thread.join()
        store = SharedPlanStore(running.postgres_dsn)
        try:
            return report(load, kills, store, args.think)
        finally:
            store.close()
            if getattr(args, "keep_logs", None):  # the logs go with the temporary folder
                shutil.copytree(Path(data) / "logs", args.keep_logs, dirs_exist_ok=True)
                print(f"[fout-run] logs bewaard in {args.keep_logs}", flush=True)


def report(load, kills: dict[str, float], store: SharedPlanStore, think: float) -> int:
    ok = True
    windows = sorted((t, t + WINDOW, name) for name, t in kills.items())
    print(
        f"\n== fout-run: {USERS} gesprekken, {len(load.requests)} berichten, "
        f"{think:.0f} s bedenktijd per antwoord =="
    )
    inside, outside = split_by_windows(load.requests, windows)
    for since, _, name in windows:
        failed = [r for r in inside[name] if r["error"] is not None]
        sent, errors = len(inside[name]), len(failed)
        good = errors <= TARGET_IN_WINDOW * sent
        ok &= good
        print(
            f"minuut na het stoppen van {name} (en berichten die toen onderweg waren): fouten "
            f"{share(errors, sent)} (doel <= {TARGET_IN_WINDOW:.0%}) {'ok' if good else 'TE VEEL'}"
        )
        for r in failed:
            print(f"  {r['start'] - since:5.1f} s: {r['kind']}: {r['error'][:100]}")
    outside_errors = sum(r["error"] is not None for r in outside)
    print(
        f"buiten die minuten: fouten {share(outside_errors, len(outside))} (doel 0) "
        f"{'ok' if outside_errors == 0 else 'TE VEEL'}"
    )
    for r in outside:
        if r["error"] is not None:
            after = ", ".join(f"{r['start'] - t:.0f} s na {n}" for t, _, n in windows)
            print(f"  {r['start'] - load.started:.0f} s na de start ({after}): {r['kind']}:")
            print(f"    {r['error'][:100]}")
    ok &= outside_errors == 0
    for name, moment in sorted(kills.items(), key=lambda kv: kv[1]):
        busy = in_flight(load.conversations, moment)
        finished = [c for c in busy if c["state"] == "done"]
        stored = [c for c in finished if plan_stored(store, c["sender"], c["last_answer"])]
        good = len(stored) == len(busy)
        ok &= good
        print(
            f"gesprekken bezig bij het stoppen van {name}: {len(busy)}; in de goede stap "
            f"afgerond: {len(finished)}; plan in PostgreSQL: {len(stored)} "
            f"{'ok' if good else 'NIET ALLES'}"
        )
        for c in busy:
            if c not in stored:
                print(f"  {c['sender']}: {c['state']}")
    done = [c for c in load.conversations.values() if c["state"] == "done"]
    stored_all = sum(plan_stored(store, c["sender"], c["last_answer"]) for c in done)
    print(f"alle afgeronde gesprekken: {len(done)}, met plan in PostgreSQL: {stored_all}")
    ok &= stored_all == len(done)
    print("fout-run: " + ("gehaald" if ok else "NIET gehaald"))
    return 0 if ok else 1
