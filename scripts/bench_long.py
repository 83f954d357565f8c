"""`make bench-long`: issue 15's growth per turn, ours only, one long conversation.

Starts our services like `make bench-e2e` does (scripts/bench_e2e.py, sealed, free ports) and
talks one conversation of ``--turns`` turns (bench-e2e's conversation, cycled). Prints the median
turn and the median CPU time of the Rasa process tree per turn at turns 1-20, 100-120 and
280-300, the Rasa pid (to attach py-spy) and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import uuid
from pathlib import Path

import bench_e2e  # scripts/bench_e2e.py
import httpx

SPANS = ((0, 20), (99, 120), (279, 300))
PY_SPY = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "py-spy"
PROFILE: dict[str, str] = {}  # "path": where py-spy writes the profile of the last 50 turns


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (/proc/<pid>/stat, Linux)."""
    total = 0
    for one in bench_e2e.process_tree(pid):
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def long_only(bot: bench_e2e.Bot, turns: int) -> bench_e2e.Result:
    """The one long conversation, with Rasa's CPU per turn for each span."""
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    latencies: list[float] = []
    cpu: list[float] = []
    errors = 0
    rasa_pid = bot.processes["rasa"].pid
    print(f"Rasa pid {rasa_pid} (for py-spy)", flush=True)
    spy = None
    with httpx.Client(timeout=120) as client:
        for i in range(turns):
            if PROFILE and i == max(turns - 50, 0):
                command = [str(PY_SPY), "record", "--format", "raw", "--rate", "50"]
                command += ["--pid", str(rasa_pid), "--output", PROFILE["path"]]
                spy = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            before = cpu_seconds(rasa_pid)
            message = bot.conversation[i % len(bot.conversation)]
            ms, error = bench_e2e.turn(client, bot, sender, message)
            cpu.append((cpu_seconds(rasa_pid) - before) * 1000)
            latencies.append(ms)
            errors += error
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes the profile when interrupted
        spy.wait(timeout=60)
    for a, b in SPANS:
        if b <= len(latencies):
            print(
                f"turns {a + 1}-{b}: median turn {statistics.median(latencies[a:b]):.0f} ms, "
                f"Rasa CPU per turn {statistics.median(cpu[a:b]):.0f} ms"
            )
    rss = {name: bench_e2e.process_rss(p.pid) for name, p in bot.processes.items()}
    for pid, program, mb in rss["rasa"]:
        print(f"RSS rasa: pid {pid} {program}: {mb:.0f} MB")
    print(f"errors in the long conversation: {errors}")
    return bench_e2e.Result(bot.first_answer, [], 0, 0.0, [], {}, errors, rss)


def main(turns: int, repeat: int, timeout: float) -> None:
    for _ in range(repeat):
        print(f"load before (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        bench_e2e.run_ours(turns, timeout, quiet=True, measure_with=long_only)
        print(f"load after (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=300, help="turns of the conversation")
    parser.add_argument("--repeat", type=int, default=1, help="runs, one after the other")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to the first answer")
    parser.add_argument("--profile", help="py-spy raw profile of Rasa during the last 50 turns")
    args = parser.parse_args()
    if args.profile:
        PROFILE["path"] = str(Path(args.profile).resolve())
    main(args.turns, args.repeat, args.timeout)
