"""What each action call costs the action server: calls, request bytes and CPU per action.

CPU is the thread time of the request's handler (``time.thread_time``): the action server
answers one request at a time on its event loop, and torch computes the query embedding on
the calling thread (one intra-op thread), so this is the call's own CPU, not the machine's
load. Served at ``/stats`` for the benchmarks (scripts/load/usage.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse


@dataclass
class ActionCost:
    calls: int = 0
    request_bytes: int = 0
    cpu_ms: float = 0.0


@dataclass
class CallMeter:
    per_action: dict[str, ActionCost] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, request_bytes: int, cpu_seconds: float) -> None:
        with self._lock:
            cost = self.per_action.setdefault(action, ActionCost())
            cost.calls += 1
            cost.request_bytes += request_bytes
            cost.cpu_ms += 1000 * cpu_seconds

    def stats(self) -> dict[str, dict[str, float]]:
        """Per action name: calls, request bytes and CPU milliseconds, added up."""
        with self._lock:
            return {
                name: {
                    "calls": cost.calls,
                    "request_bytes": cost.request_bytes,
                    "cpu_ms": round(cost.cpu_ms, 1),
                }
                for name, cost in self.per_action.items()
            }

    def attach(self, app: Sanic, path: str = "/webhook") -> None:
        """Measure every request to ``path`` from its first middleware to its response."""

        @app.on_request(priority=100)
        async def started(request: Request) -> None:
            if request.path == path:
                request.ctx.cpu_started = time.thread_time()

        @app.on_response(priority=-100)
        async def finished(request: Request, _: HTTPResponse) -> None:
            started = getattr(request.ctx, "cpu_started", None)
            if started is None:
                return
            try:
                action = str((request.json or {}).get("next_action", "?"))
            except Exception:  # a body that is no JSON object was answered with 400 already
                action = "?"
            self.add(action, len(request.body or b""), time.thread_time() - started)
