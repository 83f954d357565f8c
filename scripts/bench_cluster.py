"""`make bench-cluster`: `make run` and `make run-cluster` under the same Locust load, side by side.

In one run on this machine: starts the services of `make run` (scripts/bench_stack.py: one Rasa
server, one action server, SQLite), drives 20, 50 and 100 concurrent conversations for a fixed
time each with the load of scripts/load/locustfile.py, stops them; then starts the cluster
(scripts/cluster.py: Rasa replicas and action servers behind HAProxy, PostgreSQL, Redis) and
drives the same load. Prints per level: answered messages per second, latency p50/p95/p99
(nearest-rank, knowledge.metrics, over the answered messages after the warm-up) and errors
(scripts/load/conversation.py says what counts), and the cluster/make-run throughput ratio.
Per level it also prints the CPU seconds of every service and of Locust (where the cores go)
and the query-embedding cache's hit rate over the action servers (scripts/load/usage.py).

`--fault` runs the fault test instead (scripts/load/fault.py): under load on the cluster one
Rasa replica is killed, later one action server.

The load goes to Rasa's REST channel (the balancer in the cluster), not through the web server:
the web server is one process in both topologies and limits messages per address.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import serve  # scripts/serve.py, next to this file
from bench_stack import temporary_stack
from load.usage import Meter, process_env  # scripts/load/usage.py

from knowledge.metrics import PERCENTILE_METHOD, percentile

LOCUSTFILE = serve.ROOT / "scripts" / "load" / "locustfile.py"
LOCUST = serve.ROOT / ".venv" / "bin" / "locust"
LEVELS = (20, 50, 100)
TARGET_RATIO = 1.6


@dataclass(frozen=True)
class Load:
    """What one Locust run wrote: requests and conversations, with wall-clock times."""

    requests: list[dict]
    conversations: dict[str, dict]  # the last record per sender
    started: float  # wall clock when Locust was started

    def answered(self, since: float, until: float) -> list[dict]:
        return [
            r
            for r in self.requests
            if r["error"] is None and since <= r["start"] + r["ms"] / 1000 <= until
        ]

    def errors(self, since: float = 0.0, until: float = float("inf")) -> list[dict]:
        return [r for r in self.requests if r["error"] is not None and since <= r["start"] < until]

    def sent(self, since: float = 0.0, until: float = float("inf")) -> list[dict]:
        return [r for r in self.requests if since <= r["start"] < until]


def run_locust(
    base_url: str,
    users: int,
    seconds: float,
    *,
    stop_timeout: float = 0,
    think: float = 0,
    during=None,
) -> Load:
    """Run the load headless for ``seconds``; ``during(started)`` runs meanwhile (fault run).

    ``think``: seconds each user waits after a reply before the next message (0: at once)."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "load.jsonl"
        command = [
            *(str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
            *("--host", base_url, "-u", str(users), "-r", str(users)),
            *("-t", f"{int(seconds)}s", "--stop-timeout", str(int(stop_timeout))),
            *("--exit-code-on-error", "0", "--loglevel", "WARNING"),
        ]
        env = {
            **os.environ,
            "LOAD_LOG": str(log),
            "LOAD_THINK_SECONDS": str(think),
            "PYTHONPATH": str(serve.ROOT),
        }
        started = time.time()
        with (Path(tmp) / "locust.out").open("w") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                if during is not None:
                    during(started)
                code = process.wait(timeout=seconds + stop_timeout + 120)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        if code != 0:
            tail = (Path(tmp) / "locust.out").read_text()[-2000:]
            raise RuntimeError(f"Locust stopte met code {code}:\n{tail}")
        return read_log(log, started)


def read_log(path: Path, started: float) -> Load:
    requests, conversations = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["type"] == "request":
            requests.append(item)
        else:
            conversations[item["sender"]] = item
    return Load(requests, conversations, started)


@dataclass(frozen=True)
class Level:
    users: int
    per_second: float
    p50: float
    p95: float
    p99: float
    errors: int
    sent: int
    misunderstood: int
    plans: int  # planner runs finished with the Word file

    def row(self) -> str:
        return (
            f"{self.per_second:6.1f} {self.p50:6.0f} {self.p95:6.0f} {self.p99:6.0f} "
            f"{f'{self.errors}/{self.sent}':>10}"
        )


def measure(load: Load, users: int, warmup: float, seconds: float) -> Level:
    since, until = load.started + warmup, load.started + seconds
    answered = load.answered(since, until)
    times = [r["ms"] for r in answered] or [float("nan")]
    return Level(
        users=users,
        per_second=len(answered) / (until - since),
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        p99=percentile(times, 99),
        errors=len(load.errors()),
        sent=len(load.sent()),
        misunderstood=sum(r["misunderstood"] for r in answered),
        plans=sum(c.get("last_answer", "") != "" for c in load.conversations.values()),
    )


def error_reasons(load: Load) -> str:
    counts: dict[str, int] = {}
    for r in load.errors():
        key = f"{r['kind']}: {r['error'][:80]}"
        counts[key] = counts.get(key, 0) + 1
    return "; ".join(f"{k} ({n}x)" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])[:6])


@dataclass(frozen=True)
class Target:
    """A running topology: where the load goes and what to meter."""

    url: str
    meter: Meter


def drive(name: str, target: Target, levels: tuple[int, ...], seconds: float, warmup: float):
    """Warm up (not counted), then each level in turn."""
    print(f"\n[{name}] opwarmen: 4 gesprekken, 20 s (niet geteld)", flush=True)
    run_locust(target.url, 4, 20)
    results = []
    for users in levels:
        target.meter.start()
        load = run_locust(target.url, users, seconds)
        usage = target.meter.stop()
        level = measure(load, users, warmup, seconds)
        results.append(level)
        print(
            f"[{name}] {users:3d} gesprekken: {level.per_second:.1f} msg/s, p50 {level.p50:.0f} "
            f"ms, p95 {level.p95:.0f} ms, p99 {level.p99:.0f} ms, fouten {level.errors}/"
            f"{level.sent}, niet begrepen {level.misunderstood}, plannen af {level.plans} "
            f"(load average daarna {uptime()})",
            flush=True,
        )
        answered = len(load.answered(load.started, float("inf")))
        print(f"  {usage.line(answered)}", flush=True)
        if level.errors:
            print(f"  fouten: {error_reasons(load)}", flush=True)
    return results


def base(url: str) -> str:
    return url.split("/webhooks/")[0].rstrip("/")


@contextmanager
def single_stack(timeout: float) -> Iterator[Target]:
    with temporary_stack(web=False, timeout=timeout) as stack:
        print(f"[make run] gezond na {stack.startup_seconds:.0f} s", flush=True)
        pids = {s.name: s.process.pid for s in stack.services if s.process is not None}
        action = next(s for s in stack.services if s.name == "actieserver")
        token = process_env(action.process.pid, "ACTION_SERVER_TOKEN") if action.process else None
        meter = Meter(lambda: pids, [f"http://127.0.0.1:{action.port}"], token)
        yield Target(base(stack.rest_url), meter)


def cluster_stack(replicas: int, timeout: float) -> AbstractContextManager | None:
    """The cluster launcher's context (scripts/cluster.py), or None when it is not there."""
    try:
        import cluster  # scripts/cluster.py
    except ImportError:
        return None

    @contextmanager
    def started() -> Iterator[Target]:
        with (
            tempfile.TemporaryDirectory(prefix="bench-cluster-") as data,
            cluster.running_cluster(
                Path(data), rasa_replicas=replicas, action_replicas=2, lock_store=True
            ) as running,
        ):
            token = running.env.get("ACTION_SERVER_TOKEN")
            meter = Meter(lambda: running.pids, running.action_urls, token)
            yield Target(base(running.rasa_url), meter)

    return started()


def table(single: list[Level], clustered: list[Level] | None, replicas: int) -> None:
    head = f"{'msg/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'fouten':>10}"
    print(f"\nlatentie in ms ({PERCENTILE_METHOD}); fouten = fout / verstuurd")
    print(f"{'gesprekken':>10} | {'make run':<38} | make run-cluster ({replicas} Rasa)")
    print(f"{'':>10} | {head} | {head}")
    one = {lv.users: lv.row() for lv in single}
    other = {lv.users: lv.row() for lv in clustered or []}
    for users in sorted(set(one) | set(other)):
        print(
            f"{users:>10} | {one.get(users, '(niet gemeten)'):<38} | "
            f"{other.get(users, '(niet gemeten)')}"
        )
    if single and clustered:
        at = {lv.users: lv for lv in single}, {lv.users: lv for lv in clustered}
        if 50 in at[0] and 50 in at[1] and at[0][50].per_second:
            ratio = at[1][50].per_second / at[0][50].per_second
            print(
                f"\ndoorvoer cluster / make run bij 50 gesprekken: {ratio:.2f} x "
                f"(doel >= {TARGET_RATIO} x op deze machine met 2 kernen)"
            )


def uptime() -> str:
    """The machine's load average over 1, 5 and 15 minutes (other work on it counts too)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="e.g. 20,50,100")
    parser.add_argument("--seconds", type=float, default=60, help="duration of each level")
    parser.add_argument("--warmup", type=float, default=10, help="first seconds not counted")
    parser.add_argument("--replicas", type=int, default=2, help="Rasa replicas in the cluster")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to become healthy")
    parser.add_argument("--only", choices=("run", "cluster"), help="measure one topology only")
    parser.add_argument(
        "--fault", action="store_true", help="the fault run (scripts/load/fault.py)"
    )
    parser.add_argument(
        "--think", type=float, default=5, help="fault run: seconds a user takes to answer"
    )
    parser.add_argument(
        "--keep-logs", type=Path, help="fault run: copy the services' logs to this folder"
    )
    args = parser.parse_args()
    if args.fault:
        sys.path.insert(0, str(LOCUSTFILE.parent))
        import fault  # scripts/load/fault.py

        return fault.main(args, run_locust=run_locust, base=base)
    levels = tuple(int(n) for n in args.levels.split(","))
    print(f"belasting van de machine vooraf (load average 1/5/15 min): {uptime()}")
    run: list[Level] = []
    clustered: list[Level] | None = None
    if args.only != "cluster":
        with single_stack(args.timeout) as target:
            run = drive("make run", target, levels, args.seconds, args.warmup)
    if args.only != "run":
        context = cluster_stack(args.replicas, args.timeout)
        if context is None:
            print("\nscripts/cluster.py ontbreekt: alleen make run gemeten.")
        else:
            with context as target:
                clustered = drive("make run-cluster", target, levels, args.seconds, args.warmup)
    table(run, clustered, args.replicas)
    print(f"belasting van de machine achteraf: {uptime()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
