"""`make bench-e2e`: per-turn latency of a real conversation over REST and memory of the servers.

Starts the services like `make run` (on free ports, with a temporary data directory and an
environment of their own: no `.env`, no Telegram), holds a scripted Dutch conversation (advice,
explanations and the six planner steps) several times, and prints:
- errors: turns answered with an apology or the fallback (utter_default, the action-failure
  apology of rasa_ext) or with nothing at all. They are counted, not timed;
- latency of the other turns (nearest-rank percentiles, knowledge.metrics);
- resident memory (RSS) of each service's whole process tree (all descendants, e.g. workers).
"""

from __future__ import annotations

import argparse
import ast
import time
import uuid
from pathlib import Path

import httpx
import serve  # scripts/serve.py, next to this file
import yaml
from bench_stack import temporary_stack

from knowledge.metrics import describe

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
    total = 0
    pids = process_tree(pid)
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024, len(pids)


def main(rounds: int = 3, timeout: float = 300) -> None:
    fallbacks = fallback_texts()
    with temporary_stack(timeout=timeout) as stack:
        print(f"opstarten tot alle diensten gezond zijn: {stack.startup_seconds:.1f} s")
        url = stack.rest_url
        latencies: list[float] = []
        errors: list[str] = []
        with httpx.Client(timeout=60) as client:
            for _ in range(rounds):
                sender = f"bench-{uuid.uuid4().hex[:8]}"
                for message in CONVERSATION:
                    t0 = time.perf_counter()
                    response = client.post(url, json={"sender": sender, "message": message})
                    elapsed = (time.perf_counter() - t0) * 1000
                    response.raise_for_status()
                    if is_error(response.json(), fallbacks):
                        errors.append(message)
                    else:
                        latencies.append(elapsed)
        turns = rounds * len(CONVERSATION)
        print(
            f"fouten (verontschuldiging, fallback of leeg antwoord): {len(errors)} van {turns} "
            f"beurten" + (f": {sorted(set(errors))}" if errors else "")
        )
        if latencies:
            print(f"latentie per beurt over REST, zonder fouten: {describe(latencies)}")
        for service in stack.services:
            mb, count = rss_mb(service.process.pid)
            print(f"geheugen (RSS) {service.name}: {mb:.0f} MB ({count} processen)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="conversations to hold")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for health")
    args = parser.parse_args()
    main(args.rounds, args.timeout)
