"""Where the cores go during a benchmark level: CPU seconds per service, and the query cache.

Read from /proc (Linux): a service's CPU time is that of its process and every descendant,
children it already waited for included (PostgreSQL's backends, a Rasa worker). The query
cache's counters come from each action server's /stats (behind the action-server token).
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

TICKS = os.sysconf("SC_CLK_TCK")
CACHE_KEYS = ("hits", "misses")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    own = sum(int(f) for f in fields[11:15]) / TICKS  # utime stime cutime cstime
    return own + sum(cpu_seconds(child) for child in children(pid))


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def process_env(pid: int, name: str) -> str | None:
    """One variable of a (child) process's environment, e.g. the action-server token."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return None
    for item in raw:
        key, _, value = item.decode(errors="replace").partition("=")
        if key == name:
            return value
    return None


def children_cpu() -> float:
    """CPU seconds of this process's children that were waited for (Locust after its run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cache_counters(action_urls: list[str], token: str | None) -> dict[str, int]:
    """Query-cache hits and misses added up over the action servers (missing ones count 0)."""
    total = dict.fromkeys(CACHE_KEYS, 0)
    for url in action_urls:
        try:
            answer = httpx.get(f"{url}/stats", params={"token": token or ""}, timeout=10)
            counters = answer.json()["query_cache"]
        except (httpx.HTTPError, ValueError, KeyError):
            continue
        for key in CACHE_KEYS:
            total[key] += int(counters.get(key, 0))
    return total


@dataclass
class Meter:
    """Snapshot before a level, difference after it."""

    pids: Callable[[], Mapping[str, int]]
    action_urls: list[str]
    token: str | None
    _cpu: dict[str, float] = field(default_factory=dict)
    _locust: float = 0.0
    _cache: dict[str, int] = field(default_factory=dict)

    def start(self) -> None:
        self._cpu = {name: cpu_seconds(pid) for name, pid in self.pids().items()}
        self._locust = children_cpu()
        self._cache = cache_counters(self.action_urls, self.token)

    def stop(self) -> Usage:
        now = {name: cpu_seconds(pid) for name, pid in self.pids().items()}
        cache = cache_counters(self.action_urls, self.token)
        return Usage(
            cpu={name: max(0.0, now[name] - self._cpu.get(name, 0.0)) for name in now},
            locust=children_cpu() - self._locust,
            hits=cache["hits"] - self._cache.get("hits", 0),
            misses=cache["misses"] - self._cache.get("misses", 0),
        )


@dataclass(frozen=True)
class Usage:
    cpu: dict[str, float]  # service -> CPU seconds during the level
    locust: float
    hits: int
    misses: int

    def line(self, messages: int) -> str:
        """'Rasa-server 41.0 s (52 ms/bericht), ...; query-cache 12/80 (15 %)'."""
        per = max(messages, 1)
        parts = [
            f"{name} {seconds:.1f} s ({1000 * seconds / per:.0f} ms/bericht)"
            for name, seconds in sorted(self.cpu.items(), key=lambda kv: -kv[1])
            if seconds >= 0.05
        ]
        parts.append(f"Locust {self.locust:.1f} s")
        lookups = self.hits + self.misses
        rate = f"{self.hits / lookups:.0%}" if lookups else "-"
        return f"CPU: {', '.join(parts)}; query-cache {self.hits}/{lookups} treffers ({rate})"
