"""`make bench-e2e`: per-turn latency of a real conversation over REST and memory of the servers.

Starts the services like `make run` (on free ports, with a temporary data directory), holds a
scripted Dutch conversation (advice, explanations and the six planner steps) several times,
and prints p50/p95 latency per turn and the resident memory (RSS) of each service.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import serve  # scripts/serve.py, next to this file

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


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc (Linux)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def main(rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as data:
        os.environ.update(
            {
                "RASA_PORT": str(serve.free_port()),
                "ACTION_PORT": str(serve.free_port()),
                "WEB_PORT": str(serve.free_port()),
                "METHODEWIJZER_DATA_DIR": data,
                "METHODEWIJZER_PLANS_DIR": str(Path(data) / "plans"),
            }
        )
        os.environ.pop("TELEGRAM_BOT_TOKEN", None)
        settings = serve.settings()
        services = serve.services(settings)
        env = serve.common_env(settings)
        start = time.perf_counter()
        try:
            serve.migrate(env)
            for service in services:
                serve.start(service, env)
            serve.wait_healthy(services, timeout=300)
            print(f"opstarten tot alle diensten gezond zijn: {time.perf_counter() - start:.1f} s")
            url = f"http://127.0.0.1:{settings['RASA_PORT']}/webhooks/rest/webhook"
            latencies: list[float] = []
            with httpx.Client(timeout=60) as client:
                for _ in range(rounds):
                    sender = f"bench-{uuid.uuid4().hex[:8]}"
                    for message in CONVERSATION:
                        t0 = time.perf_counter()
                        client.post(
                            url, json={"sender": sender, "message": message}
                        ).raise_for_status()
                        latencies.append((time.perf_counter() - t0) * 1000)
            latencies.sort()
            p95 = latencies[max(0, int(0.95 * len(latencies)) - 1)]
            print(
                f"latentie per beurt over REST ({len(latencies)} beurten): "
                f"p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms"
            )
            for service in services:
                print(f"geheugen (RSS) {service.name}: {rss_mb(service.process.pid):.0f} MB")
        finally:
            serve.stop(services)


if __name__ == "__main__":
    main()
