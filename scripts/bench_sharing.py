"""Concurrent writers on shared plans: N processes write at once; no row may get lost or mix.

Each process has its own SharedPlanStore (own engine, own connections) on the same database and
its own participant in two plans. After a common start (barrier) it writes, alternating between
the plans, --writes contributions and --writes measurements to each plan: 4 x writes rows per
process. Then every row is checked: count, author, plan.

    .venv/bin/python scripts/bench_sharing.py --processes 8 --writes 200 [--url URL]

Without --url a temporary SQLite file is used. The test suite imports this module and runs the
same load with smaller numbers (tests/test_sharing_store.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from knowledge import metrics
from knowledge.sharing import Limits, SharedPlanStore
from knowledge.sharing.models import Contribution, Measurement

TAGS = ("A", "B")
START_TIMEOUT_S = 120
# The bench measures the store under load, not its limits: the writes per plan exceed them.
NO_LIMITS = Limits(
    contributions_per_participant=10**9,
    contributions_per_plan=10**9,
    measurements_per_participant=10**9,
    measurements_per_plan=10**9,
)


@dataclass
class LoadResult:
    backend: str
    processes: int
    writes: int
    expected: int
    found: int
    lost: int
    mixed: int
    duplicates: int
    wall_s: float
    latencies_ms: list[float] = field(repr=False)

    @property
    def writes_per_s(self) -> float:
        return len(self.latencies_ms) / self.wall_s if self.wall_s else 0.0

    def percentile(self, p: int) -> float:
        return metrics.percentile(self.latencies_ms, p)

    @property
    def ok(self) -> bool:
        return self.found == self.expected and not (self.lost or self.mixed or self.duplicates)

    def report(self) -> str:
        rows = [
            ("backend", self.backend),
            ("processes", str(self.processes)),
            ("writes", f"{self.writes} per kind per plan per process ({4 * self.writes} each)"),
            ("rows expected/found", f"{self.expected}/{self.found}"),
            ("lost", str(self.lost)),
            ("mixed", str(self.mixed)),
            ("duplicates", str(self.duplicates)),
            ("wall time", f"{self.wall_s:.2f} s"),
            ("writes/s", f"{self.writes_per_s:.0f}"),
            ("latency p50", f"{self.percentile(50):.1f} ms ({metrics.PERCENTILE_METHOD})"),
            ("latency p95", f"{self.percentile(95):.1f} ms ({metrics.PERCENTILE_METHOD})"),
        ]
        return "\n".join(f"{name:<20} {value}" for name, value in rows)


def sender(index: int) -> str:
    return f"worker-{index}"


def setup_plans(url: str, processes: int) -> dict[str, str]:
    """Two fresh plans, each with one participant per process; returns tag -> plan id."""
    store = SharedPlanStore(url, NO_LIMITS)
    try:
        store.migrate()
        plans = {}
        for tag in TAGS:
            plan = store.create_plan(f"owner-{tag}", {"probleem": f"plan {tag}"}, {})
            for index in range(processes):
                store.join(plan.code, sender(index), f"Partner {index}", f"Org {tag}", "politie")
            plans[tag] = plan.id
        return plans
    finally:
        store.close()


def worker(
    url: str,
    plans: dict[str, str],
    index: int,
    writes: int,
    barrier: Any,
    results: Any,
) -> None:
    """One process: its own store; waits for the others, then writes and times every write."""
    store = SharedPlanStore(url, NO_LIMITS)
    me = sender(index)
    latencies: list[float] = []
    try:
        store.participant(plans["A"], me)  # connect before the start, not in the first write
        barrier.wait(timeout=START_TIMEOUT_S)
        started = time.time()
        for n in range(writes):
            for tag in TAGS:
                t0 = time.perf_counter()
                store.add_contribution(plans[tag], me, n % 6 + 1, "bijdrage", f"{tag}|{index}|{n}")
                t1 = time.perf_counter()
                store.add_measurement(
                    plans[tag], me, f"{tag}|{index}", f"meting {n}", f"{n:06d}", n
                )
                t2 = time.perf_counter()
                latencies += [(t1 - t0) * 1000, (t2 - t1) * 1000]
        results.put(("ok", index, started, time.time(), latencies))
    except BaseException:
        results.put(("error", index, traceback.format_exc()))
    finally:
        store.close()


def store_rows(store: SharedPlanStore, plan_id: str) -> int:
    """Rows of a plan in the tables themselves, without the store's joins."""
    with store.engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).where(model.plan_id == plan_id)) or 0
            for model in (Contribution, Measurement)
        )


def verify(
    url: str, plans: dict[str, str], processes: int, writes: int
) -> tuple[int, int, int, int]:
    """(found, lost, mixed, duplicates) over both plans."""
    store = SharedPlanStore(url, NO_LIMITS)
    found = lost = mixed = duplicates = 0
    try:
        for tag, plan_id in plans.items():
            members = {p.id: p.sender_id for p in store.participants(plan_id, active_only=False)}
            seen: dict[str, set[tuple[str, int]]] = {"c": set(), "m": set()}
            # (kind, plan id, participant id, "tag|process|n")
            rows = [
                ("c", c.plan_id, c.participant_id, c.text) for c in store.contributions(plan_id)
            ]
            rows += [
                ("m", m.plan_id, m.participant_id, f"{m.indicator}|{int(m.period_key)}")
                for m in store.measurements(plan_id)
            ]
            raw = store_rows(store, plan_id)
            found += raw
            mixed += raw - len(rows)  # rows whose author is not a participant of this plan
            for kind, row_plan, participant_id, key in rows:
                row_tag, index, n = key.split("|")
                if (
                    row_tag != tag
                    or row_plan != plan_id
                    or members.get(participant_id) != sender(int(index))
                ):
                    mixed += 1
                    continue
                item = (index, int(n))
                if item in seen[kind]:
                    duplicates += 1
                seen[kind].add(item)
            for kind in seen:
                expected = {(str(i), n) for i in range(processes) for n in range(writes)}
                lost += len(expected - seen[kind])
    finally:
        store.close()
    return found, lost, mixed, duplicates


def run_load(url: str, processes: int, writes: int, timeout: float = 900) -> LoadResult:
    """Run the load in separate OS processes (spawn) and check every row afterwards."""
    plans = setup_plans(url, processes)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(target=worker, args=(url, plans, i, writes, barrier, results), daemon=True)
        for i in range(processes)
    ]
    for process in workers:
        process.start()
    outcomes = []
    deadline = time.monotonic() + timeout
    try:
        while len(outcomes) < processes:
            try:
                outcomes.append(results.get(timeout=max(deadline - time.monotonic(), 0.1)))
            except queue.Empty:
                raise TimeoutError(f"workers did not finish within {timeout} s") from None
    finally:
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
    errors = [o[2] for o in outcomes if o[0] == "error"]
    if errors:
        raise RuntimeError(f"{len(errors)} worker(s) failed:\n" + "\n".join(errors))
    starts = [o[2] for o in outcomes]
    ends = [o[3] for o in outcomes]
    latencies = [ms for o in outcomes for ms in o[4]]
    found, lost, mixed, duplicates = verify(url, plans, processes, writes)
    return LoadResult(
        backend=make_url(url).get_backend_name(),
        processes=processes,
        writes=writes,
        expected=processes * writes * 2 * len(TAGS),
        found=found,
        lost=lost,
        mixed=mixed,
        duplicates=duplicates,
        wall_s=max(ends) - min(starts),
        latencies_ms=latencies,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=8, help="writer processes (8)")
    parser.add_argument(
        "--writes", type=int, default=200, help="writes per kind per plan per process (200)"
    )
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="start a throwaway PostgreSQL server (Debian's postgresql) and use it",
    )
    args = parser.parse_args(argv)
    if args.postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.db_fixtures import temporary_postgres

        with temporary_postgres(database="methodewijzer_bench", durable=True) as url:
            result = run_load(url, args.processes, args.writes)
        print(result.report())
        return 0 if result.ok else 1
    with tempfile.TemporaryDirectory(prefix="bench-sharing-") as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        result = run_load(url, args.processes, args.writes)
    print(result.report())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
