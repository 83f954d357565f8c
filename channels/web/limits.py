"""Limits at the door of the web server: how many messages a client may send per minute.

The web server only talks to the :class:`RateLimiter` protocol. :func:`rate_limiter` picks the
implementation from the configuration: with ``REDIS_URL`` set (make run-cluster, several web
server processes behind one address) the counts live in Redis and hold for all processes
(:class:`RedisRateLimiter`); without it (make run) they are kept in this process's memory
(:class:`MemoryRateLimiter`). Both are a sliding window of ``window`` seconds per key.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Protocol

import redis

logger = logging.getLogger(__name__)

RATE_LIMITED = "Je stuurt veel berichten achter elkaar. Wacht even en probeer het dan opnieuw."
DEFAULT_PER_CLIENT = 30  # messages per minute for one browser (identity)
DEFAULT_PER_ADDRESS = 300  # per network address: a whole office may share one address
WINDOW_SECONDS = 60.0
REDIS_URL_SETTING = "REDIS_URL"  # e.g. redis://:password@127.0.0.1:6379/2
REDIS_TIMEOUT = 0.5  # seconds; a limit check must never hold up a chat message for long


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


class RedisRateLimiter:
    """Sliding window per key in Redis, shared by every process that uses the same server.

    Each hit is a member of a sorted set ``<prefix>:<key>`` scored by its time. One MULTI/EXEC
    transaction drops the hits older than the window, adds this one and counts; a refused hit
    is taken out again, so (as in memory) only allowed messages use up the budget. The set
    expires with the window, so idle keys cost nothing. When Redis cannot be reached the
    message is allowed (and a warning logged): a limit protects, it must not stop the chat.
    """

    def __init__(
        self,
        client: redis.Redis,
        limit: int,
        prefix: str,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.limit = limit
        self.prefix = prefix
        self.window = window
        self._clock = clock

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        name = f"{self.prefix}:{key}"
        now = self._clock()
        member = f"{now:.6f}:{uuid.uuid4().hex[:8]}"
        try:
            pipe = self.client.pipeline(transaction=True)
            pipe.zremrangebyscore(name, "-inf", now - self.window)
            pipe.zadd(name, {member: now})
            pipe.zcard(name)
            pipe.expire(name, int(self.window) + 1)
            count = pipe.execute()[2]
            if count > self.limit:
                self.client.zrem(name, member)
                return False
            return True
        except redis.RedisError as error:
            logger.warning("Rate limit not checked, Redis unreachable: %s", type(error).__name__)
            return True


def rate_limiter(limit: int, prefix: str, environ: dict[str, str] | None = None) -> RateLimiter:
    """Redis when REDIS_URL is set (shared by all processes), else this process's memory."""
    url = (os.environ if environ is None else environ).get(REDIS_URL_SETTING, "").strip()
    if not url:
        return MemoryRateLimiter(limit)
    client = redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )
    return RedisRateLimiter(client, limit, prefix=f"methodewijzer:rate:{prefix}")
