"""`make bench-e2e`: our assistant against Rasa's own floor, one after the other, same machine.

The floor (scripts/floor_bot.py) is Rasa 3.6.21's `rasa init` bot with one custom action on our
rasa-sdk venv and the same SQLite tracker store. Each bot is started in a temporary folder on
free ports with a sealed environment (no `.env`, no Telegram), then measured over REST:
- time to first answer: process start (for ours, `make run`'s migration first) to a good reply;
- 1 user, 40 turns: p50/p95; 20 users x 10 turns at once: msg/s and p95;
- one conversation of 300 turns: the median turn at turns 1-20, 100-120 and 280-300;
- resident memory (RSS) of every process of each server's tree (all descendants).
Errors (a reply with an apology, the fallback, or nothing) are counted; every turn is timed.
Percentiles are nearest-rank (knowledge.metrics). The issue's targets are printed with ✓/✗.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import signal
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import bench_stack  # scripts/bench_stack.py
import floor_bot  # scripts/floor_bot.py
import httpx
import serve  # scripts/serve.py, next to this file
import yaml

from knowledge.metrics import percentile

CONVERSATION = [
    "hallo",
    "welke methode voor winkeldiefstal?",
    "wat is KVO?",
    "wat is het verschil tussen KVO en KVU?",
    "welke partners heb ik nodig voor CtC?",
    "hangjongeren bij het station, wat kan ik doen?",
    "ik wil een plan van aanpak maken",
    "er is veel winkeldiefstal in het winkelcentrum",
    "winkeldiefstal is het belangrijkste",
    "de politie surveilleert af en toe",
    "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
    '/inform{"method": "kvo"}',
    "aangiftes bij de politie, evaluatie elk half jaar",
    "bedankt",
]


def fallback_texts(root: Path = serve.ROOT) -> set[str]:
    """Texts that mean "not understood" or "something went wrong", read from where they live:
    `utter_default` in bot/domain and every module-level APOLOGY string in rasa_ext/."""
    texts: set[str] = set()
    for path in sorted((root / "bot" / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name in ("utter_default", "utter_ask_rephrase"):
            texts |= {r["text"].strip() for r in responses.get(name) or [] if "text" in r}
    for path in sorted((root / "rasa_ext").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "APOLOGY" for t in node.targets
            ):
                texts.add(str(ast.literal_eval(node.value)).strip())
    return texts


def is_error(replies: list[dict], fallbacks: set[str]) -> bool:
    """An empty reply, or one that contains an apology or the fallback."""
    texts = [str(r.get("text") or "").strip() for r in replies]
    has_content = any(texts) or any(r.get("image") or r.get("custom") for r in replies)
    return not has_content or any(t in fallbacks for t in texts)


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from the parent ids in /proc/<pid>/stat (Linux)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name may contain spaces and ')'; fields after the last ')' are fixed.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += parents.get(current, [])
    return tree


def rss_mb(pid: int) -> tuple[float, int]:
    """Resident memory (MB) of a process and all its descendants, and how many processes."""
    rows = process_rss(pid)
    return sum(mb for _, _, mb in rows), len(rows)


def process_rss(pid: int) -> list[tuple[int, str, float]]:
    """(pid, program, RSS in MB) of a process and each of its descendants."""
    rows = []
    for one in process_tree(pid):
        try:
            status = Path(f"/proc/{one}/status").read_text()
            cmd = Path(f"/proc/{one}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        kb = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)
        program = " ".join(Path(c.decode()).name for c in cmd[:3] if c)
        rows.append((one, program[:40], kb / 1024))
    return rows


@dataclass
class Bot:
    """One running bot: its REST URL, its process groups, its conversation and 'error' rule."""

    name: str
    rest_url: str
    processes: dict[str, subprocess.Popen]  # "rasa", "actions" (, "web")
    conversation: list[str]
    fallbacks: set[str]
    first_answer: float = 0.0  # seconds from starting the processes to the first good reply


@dataclass
class Result:
    first_answer: float
    one_user: list[float]
    errors_one_user: int
    msg_per_s: float
    concurrent: list[float]
    long_medians: dict[str, float]
    errors_long: int
    rss: dict[str, list[tuple[int, str, float]]] = field(default_factory=dict)


def turn(client: httpx.Client, bot: Bot, sender: str, message: str) -> tuple[float, bool]:
    """One REST turn: (milliseconds, whether the reply is an error)."""
    t0 = time.perf_counter()
    response = client.post(bot.rest_url, json={"sender": sender, "message": message})
    elapsed = (time.perf_counter() - t0) * 1000
    response.raise_for_status()
    return elapsed, is_error(response.json(), bot.fallbacks)


def wait_first_answer(bot: Bot, started: float, timeout: float) -> float:
    """Seconds from ``started`` until the bot gives a good reply to its first message."""
    sender = f"first-{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < deadline:
            for name, process in bot.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{bot.name}: {name} stopped ({process.returncode})")
            try:
                if not turn(client, bot, sender, bot.conversation[0])[1]:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"{bot.name}: no answer within {timeout:.0f} s")


def conversation(bot: Bot, turns: int) -> tuple[list[float], int]:
    """One user, ``turns`` turns of the bot's conversation (cycled): latencies, errors."""
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    latencies, errors = [], 0
    with httpx.Client(timeout=120) as client:
        for i in range(turns):
            ms, error = turn(client, bot, sender, bot.conversation[i % len(bot.conversation)])
            latencies.append(ms)
            errors += error
    return latencies, errors


def concurrent_users(bot: Bot, users: int, turns: int) -> tuple[float, list[float]]:
    """``users`` users at once, ``turns`` turns each: messages per second and all latencies."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        results = list(pool.map(lambda _: conversation(bot, turns)[0], range(users)))
    wall = time.perf_counter() - start
    latencies = [ms for one in results for ms in one]
    return len(latencies) / wall, latencies


def measure(bot: Bot, long_turns: int) -> Result:
    one_user, errors_one = conversation(bot, 40)
    rate, concurrent = concurrent_users(bot, 20, 10)
    long, errors_long = conversation(bot, long_turns)
    medians = {
        f"{a + 1}-{b}": statistics.median(long[a:b])
        for a, b in ((0, 20), (99, 120), (279, 300))
        if b <= len(long)
    }
    rss = {name: process_rss(p.pid) for name, p in bot.processes.items()}
    return Result(
        bot.first_answer, one_user, errors_one, rate, concurrent, medians, errors_long, rss
    )


def signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each server's process group, SIGKILL after 15 s; nothing is left behind."""
    for process in processes.values():
        signal_group(process, signal.SIGTERM)
    for process in processes.values():
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        signal_group(process, signal.SIGKILL)
        process.wait()


def run_floor(long_turns: int, timeout: float, quiet: bool) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "floor"
        rasa_port, action_port = serve.free_port(), serve.free_port()
        env = serve.sealed_environ(
            {
                "RASA_TELEMETRY_ENABLED": "false",
                "HF_HUB_OFFLINE": "1",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "FLOOR_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
                "FLOOR_TRACKER_DB": str(Path(tmp) / "tracker.db"),
            }
        )
        model = floor_bot.build(folder, env)
        out = subprocess.DEVNULL if quiet else None
        started = time.monotonic()
        processes = {
            name: subprocess.Popen(
                cmd, cwd=folder, env=env, start_new_session=True, stdout=out, stderr=out
            )
            for name, cmd in floor_bot.commands(folder, model, rasa_port, action_port).items()
        }
        bot = Bot(
            "Rasa floor",
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            processes,
            floor_bot.CONVERSATION,
            set(),
        )
        try:
            bot.first_answer = wait_first_answer(bot, started, timeout)
            return measure(bot, long_turns)
        finally:
            stop_all(processes)


def run_ours(
    long_turns: int, timeout: float, quiet: bool, measure_with: Callable = measure
) -> Result:
    """Our services as `make run` starts them (Rasa during the migration, then the others),
    sealed, on free ports; ``measure_with(bot, long_turns)`` measures them."""
    with tempfile.TemporaryDirectory() as data:
        environ = bench_stack.fresh_environ(data)
        settings = serve.settings(environ)
        env = serve.common_env(settings, environ)
        started = time.monotonic()
        names = {"actieserver": "actions", "Rasa-server": "rasa", "webserver": "web"}
        processes = {}
        out = subprocess.DEVNULL if quiet else None
        # in the order of scripts/serve.py main(): Rasa, the migration, then the others
        wanted = serve.services(settings, environ)
        rasa_first = [s for s in wanted if s.name == "Rasa-server"]
        try:
            for service in rasa_first + [None] + [s for s in wanted if s not in rasa_first]:
                if service is None:
                    serve.migrate(env)
                    continue
                processes[names[service.name]] = subprocess.Popen(
                    service.command,
                    cwd=serve.ROOT,
                    env={**env, **service.env},
                    start_new_session=True,
                    stdout=out,
                    stderr=out,
                )
        except BaseException:
            stop_all(processes)
            raise
        bot = Bot(
            "Methodewijzer",
            f"http://127.0.0.1:{settings['RASA_PORT']}/webhooks/rest/webhook",
            processes,
            CONVERSATION,
            fallback_texts(),
        )
        try:
            bot.first_answer = wait_first_answer(bot, started, timeout)
            return measure_with(bot, long_turns)
        finally:
            stop_all(processes)


def report(floor: Result, ours: Result) -> None:
    p = percentile
    rows = [
        ("time to first answer (s)", f"{floor.first_answer:.1f}", f"{ours.first_answer:.1f}"),
        (
            "1 user, 40 turns: p50 / p95 (ms)",
            f"{p(floor.one_user, 50):.0f} / {p(floor.one_user, 95):.0f}",
            f"{p(ours.one_user, 50):.0f} / {p(ours.one_user, 95):.0f}",
        ),
        (
            "20 users x 10 turns: msg/s, p95 (ms)",
            f"{floor.msg_per_s:.1f}, {p(floor.concurrent, 95):.0f}",
            f"{ours.msg_per_s:.1f}, {p(ours.concurrent, 95):.0f}",
        ),
    ]
    for span in ours.long_medians:
        rows.append(
            (
                f"one conversation, median turn {span} (ms)",
                f"{floor.long_medians.get(span, 0):.0f}",
                f"{ours.long_medians[span]:.0f}",
            )
        )
    for part in ("rasa", "actions"):
        rows.append(
            (
                f"RSS {part} tree (MB)",
                f"{sum(r[2] for r in floor.rss[part]):.0f}",
                f"{sum(r[2] for r in ours.rss[part]):.0f}",
            )
        )
    print(f"\n{'':44} {'Rasa floor':>14} {'Methodewijzer':>16}")
    for label, a, b in rows:
        print(f"{label:44} {a:>14} {b:>16}")
    print(
        f"errors (fallback/apology/empty): 1 user {floor.errors_one_user} | "
        f"{ours.errors_one_user}; long conversation {floor.errors_long} | {ours.errors_long}"
    )
    for name, result in (("Rasa floor", floor), ("Methodewijzer", ours)):
        for part, rows_ in result.rss.items():
            for pid, program, mb in rows_:
                print(f"  RSS {name} {part}: pid {pid} {program}: {mb:.0f} MB")
    print("\ntargets (issue 15):")
    p95_floor, p95_ours = p(floor.one_user, 95), p(ours.one_user, 95)
    checks = [
        (f"p95 1 user {p95_ours:.0f} ≤ 1.3 × floor {p95_floor:.0f} ms", p95_ours <= 1.3 * p95_floor)
    ]
    spans = list(ours.long_medians)
    if len(spans) == 3:
        first, last = ours.long_medians[spans[0]], ours.long_medians[spans[2]]
        checks.append(
            (
                f"turns {spans[2]} {last:.0f} ≤ 1.3 × turns {spans[0]} {first:.0f} ms",
                last <= 1.3 * first,
            )
        )
    rasa_floor = sum(r[2] for r in floor.rss["rasa"])
    rasa_ours = sum(r[2] for r in ours.rss["rasa"])
    actions = sum(r[2] for r in ours.rss["actions"])
    checks += [
        (
            f"Rasa RSS {rasa_ours:.0f} ≤ 1.15 × floor {rasa_floor:.0f} MB",
            rasa_ours <= 1.15 * rasa_floor,
        ),
        (f"action server RSS {actions:.0f} ≤ 700 MB", actions <= 700),
        (f"first answer {ours.first_answer:.1f} ≤ 25 s", ours.first_answer <= 25),
    ]
    for label, ok in checks:
        print(f"  {'✓' if ok else '✗'} {label}")


def main(repeat: int = 2, long_turns: int = 300, timeout: float = 600, quiet: bool = True) -> None:
    print(
        f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
    )
    for run in range(repeat):
        print(f"\n=== run {run + 1} of {repeat} (floor first, then ours) ===", flush=True)
        floor = run_floor(long_turns, timeout, quiet)
        print("floor measured", flush=True)
        ours = run_ours(long_turns, timeout, quiet)
        report(floor, ours)
        print(f"load (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=2, help="floor+ours runs, one after other")
    parser.add_argument(
        "--long-turns", type=int, default=300, help="turns of the long conversation"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds to the first answer")
    parser.add_argument("--verbose", action="store_true", help="show the servers' logs")
    args = parser.parse_args()
    main(args.repeat, args.long_turns, args.timeout, not args.verbose)
