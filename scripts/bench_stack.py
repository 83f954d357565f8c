"""One temporary stack for the benchmarks (bench_e2e, bench_dialogue, bench_advice).

The services of `make run` on free ports, with a throwaway data directory and a sealed
environment (no `.env`, no Telegram token, no database URL), stopped when the block ends.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import serve  # scripts/serve.py, next to this file


@dataclass(frozen=True)
class Stack:
    rest_url: str  # Rasa's REST channel
    web_url: str  # our web server (empty when started without it)
    services: list[serve.Service]
    startup_seconds: float


def fresh_environ(data: str) -> dict[str, str]:
    """A sealed environment for one temporary stack: free ports and the given data directory."""
    return serve.sealed_environ(
        {
            "RASA_PORT": str(serve.free_port()),
            "ACTION_PORT": str(serve.free_port()),
            "WEB_PORT": str(serve.free_port()),
            "METHODEWIJZER_DATA_DIR": data,
            "METHODEWIJZER_PLANS_DIR": str(Path(data) / "plans"),
        }
    )


@contextmanager
def temporary_stack(
    *, web: bool = True, model: Path | None = None, timeout: float = 900
) -> Iterator[Stack]:
    """Start the services, wait until they are healthy, yield them, stop them all."""
    with tempfile.TemporaryDirectory() as data:
        environ = fresh_environ(data)
        settings = serve.settings(environ)
        services = [s for s in serve.services(settings, environ) if web or s.name != "webserver"]
        if model is not None:
            for service in services:
                service.command = [
                    str(model) if c == str(serve.MODEL) else c for c in service.command
                ]
        env = serve.common_env(settings, environ)
        start = time.perf_counter()
        try:
            serve.migrate(env)
            for service in services:
                serve.start(service, env)
            serve.wait_healthy(services, timeout=timeout)
            yield Stack(
                rest_url=f"http://127.0.0.1:{settings['RASA_PORT']}/webhooks/rest/webhook",
                web_url=f"http://127.0.0.1:{settings['WEB_PORT']}" if web else "",
                services=services,
                startup_seconds=time.perf_counter() - start,
            )
        finally:
            serve.stop(services)
