"""Limits at the door of the web server: how many messages a client may send per minute.

The web server only talks to the :class:`RateLimiter` protocol, so a shared counter (for example
Redis ``INCR`` with ``EXPIRE`` per key and minute) can replace :class:`MemoryRateLimiter` when
several web server processes run behind one address. The in-memory limiter counts per process.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

RATE_LIMITED = "Je stuurt veel berichten achter elkaar. Wacht even en probeer het dan opnieuw."
DEFAULT_PER_CLIENT = 30  # messages per minute for one browser (identity)
DEFAULT_PER_ADDRESS = 300  # per network address: a whole office may share one address
WINDOW_SECONDS = 60.0


class RateLimiter(Protocol):
    """Counts hits per key; ``allow`` is False once a key used up its budget in the window."""

    def allow(self, key: str) -> bool: ...


class MemoryRateLimiter:
    """Sliding window per key, in this process's memory. ``limit`` 0 means no limit."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = self._clock()
        with self._lock:
            if len(self._hits) >= self._max_keys:
                self._forget_idle(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def _forget_idle(self, now: float) -> None:
        """Drop keys without a hit in the window, so memory stays bounded."""
        idle = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:  # still full: a flood of keys; start afresh
            self._hits.clear()


def setting(name: str, default: int) -> int:
    """A non-negative whole number from the environment, else ``default``."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() else default
