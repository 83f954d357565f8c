"""What each action call costs the action server: calls, request bytes and CPU per action.

Two CPU figures per call, neither of them the machine's load: ``cpu_ms`` is the thread time of
the event loop during the call (``time.thread_time``: the actions' own work, the JSON, and the
query embedding, which torch computes on the calling thread); ``process_cpu_ms`` is the whole
process's CPU time during the call, so it includes what the call hands to worker threads (the
plan store and the Word file run in a thread pool) but also anything that overlapped it (another
call awaiting the plan store, the garbage collector). Served at ``/stats`` for the benchmarks.
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
    process_cpu_ms: float = 0.0


@dataclass
class CallMeter:
    per_action: dict[str, ActionCost] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self, action: str, request_bytes: int, cpu_seconds: float, process_seconds: float
    ) -> None:
        with self._lock:
            cost = self.per_action.setdefault(action, ActionCost())
            cost.calls += 1
            cost.request_bytes += request_bytes
            cost.cpu_ms += 1000 * cpu_seconds
            cost.process_cpu_ms += 1000 * process_seconds

    def stats(self) -> dict[str, dict[str, float]]:
        """Per action name: calls, request bytes and both CPU figures in ms, added up."""
        with self._lock:
            return {
                name: {
                    "calls": cost.calls,
                    "request_bytes": cost.request_bytes,
                    "cpu_ms": round(cost.cpu_ms, 1),
                    "process_cpu_ms": round(cost.process_cpu_ms, 1),
                }
                for name, cost in self.per_action.items()
            }

    def attach(self, app: Sanic, path: str = "/webhook") -> None:
        """Measure every request to ``path`` from its first middleware to its response."""

        @app.on_request(priority=100)
        async def started(request: Request) -> None:
            if request.path == path:
                request.ctx.cpu_started = time.thread_time(), time.process_time()

        @app.on_response(priority=-100)
        async def finished(request: Request, _: HTTPResponse) -> None:
            started = getattr(request.ctx, "cpu_started", None)
            if started is None:
                return
            try:
                action = str((request.json or {}).get("next_action", "?"))
            except Exception:  # a body that is no JSON object was answered with 400 already
                action = "?"
            thread, process = started
            self.add(
                action,
                len(request.body or b""),
                time.thread_time() - thread,
                time.process_time() - process,
            )
