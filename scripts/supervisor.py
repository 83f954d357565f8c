"""Process supervision shared by `make run` (serve.py) and `make run-cluster` (cluster.py).

A service that dies is started again after 1, 2, 4 ... at most 30 s (back to 1 s after a
minute of running) while the others keep running. Each service runs in its own process group,
so stopping it also stops its workers. Stopping sends SIGTERM to every group (last started
first), then SIGKILL after STOP_GRACE seconds, so no process or port is left behind. A second
Ctrl-C or SIGTERM during shutdown does not interrupt it (StopRequest).

A service's health check is an HTTP URL (answers 200) or ``tcp://host:port`` (accepts a
connection: PostgreSQL, Redis). A service may run as another OS user (PostgreSQL refuses root)
and may write its output to a log file of its own.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKOFF_FIRST = 1.0  # seconds before the first restart of a service that died
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # seconds of running after which the back-off starts again at 1 s
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL at shutdown
UMASK = 0o077  # databases, logs and plans: readable by this user only


@dataclass
class Service:
    name: str
    command: list[str]
    port: int | None  # None: no port of its own (the Telegram bridge polls Telegram)
    health_url: str | None  # http://... or tcp://host:port; None: running is enough
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    backoff: float = BACKOFF_FIRST
    started: float = 0.0
    restart_at: float | None = None  # set while a dead service waits for its restart
    restarts: int = 0
    recovering: bool = False  # restarted, not yet healthy again
    user: str | None = None  # run as this OS user (only when started as root)
    log_path: Path | None = None  # stdout and stderr appended here; None: inherited
    stop_signal: int = signal.SIGTERM  # PostgreSQL: SIGINT, its "fast" shutdown


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port that is free right now (tests and benchmarks run beside `make run`)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    if url.startswith("tcp://"):
        host, _, port = url.removeprefix("tcp://").rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=2):
                return True
        except OSError:
            return False
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def log(message: str) -> None:
    """Supervisor messages: service names, exit codes and delays, never message texts."""
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def start(service: Service, env: dict[str, str]) -> None:
    output = None
    if service.log_path is not None:
        service.log_path.parent.mkdir(parents=True, exist_ok=True)
        output = open(service.log_path, "ab")  # noqa: SIM115 (the child keeps it open)
    try:
        service.process = subprocess.Popen(
            service.command,
            cwd=ROOT,
            env={**env, **service.env},
            start_new_session=True,  # its own process group: stopping it stops its workers too
            umask=UMASK,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            **as_user(service.user),
        )
    finally:
        if output is not None:
            output.close()
    service.started = time.monotonic()
    service.restart_at = None


def as_user(user: str | None) -> dict[str, object]:
    """Popen arguments that drop root to ``user`` (its own group, no extra groups)."""
    if user is None or os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal the service's whole process group (also when its leader has exited already)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def ready(service: Service) -> bool:
    return service.health_url is None or healthy(service.health_url)


def log_tail(service: Service, lines: int = 20) -> str:
    """The last lines of a service's log, for the error when it stopped during start-up."""
    if service.log_path is None or not service.log_path.exists():
        return ""
    tail = service.log_path.read_text(errors="replace").splitlines()[-lines:]
    return f"\nLaatste regels van {service.log_path}:\n" + "\n".join(tail)


def wait_healthy(running: list[Service], timeout: float) -> None:
    """Wait until every service answers; a service that stops is an error (tests, benches)."""
    deadline = time.monotonic() + timeout
    pending = list(running)
    while pending:
        for service in list(pending):
            if service.process and service.process.poll() is not None:
                raise RuntimeError(
                    f"{service.name} is gestopt (exitcode {service.process.returncode})."
                    + log_tail(service)
                )
            if ready(service):
                where = f" op poort {service.port}" if service.port else ""
                print(f"[serve] {service.name} is klaar{where}", flush=True)
                pending.remove(service)
        if time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"{names} niet gezond binnen {timeout:.0f} s.")
        time.sleep(0.5)


def wait_supervised(
    running: list[Service], env: dict[str, str], timeout: float, stopping: Callable[[], bool]
) -> None:
    """Like wait_healthy, but a service that dies while starting is restarted (back-off)."""
    deadline = time.monotonic() + timeout
    pending = list(running)
    while pending and not stopping():
        supervise(running, env)
        for service in list(pending):
            if service.process and service.process.poll() is None and ready(service):
                where = f" op poort {service.port}" if service.port else ""
                print(f"[serve] {service.name} is klaar{where}", flush=True)
                service.recovering = False
                pending.remove(service)
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{', '.join(s.name for s in pending)} niet gezond binnen {timeout:.0f} s."
            )
        time.sleep(0.5)


def supervise(running: list[Service], env: dict[str, str]) -> None:
    """One round: restart services that died (with back-off), report those that recovered."""
    now = time.monotonic()
    for service in running:
        process = service.process
        if process is None:
            continue
        if process.poll() is None:
            if service.recovering and ready(service):
                service.recovering = False
                log(f"{service.name} werkt weer ({now - service.started:.0f} s na de herstart).")
            if now - service.started >= STABLE_AFTER:
                service.backoff = BACKOFF_FIRST
            continue
        if service.restart_at is None:
            signal_group(process, signal.SIGKILL)  # workers of a killed leader hold the port
            service.restart_at = now + service.backoff
            log(
                f"{service.name} is onverwacht gestopt (exitcode {process.returncode}); "
                f"ik start hem over {service.backoff:.0f} s opnieuw. De rest draait door."
            )
            service.backoff = min(service.backoff * 2, BACKOFF_MAX)
        elif now >= service.restart_at and (service.port is None or port_free(service.port)):
            start(service, env)
            service.restarts += 1
            service.recovering = True
            log(f"{service.name} opnieuw gestart (herstart {service.restarts}).")


def stop(running: list[Service], grace: float = STOP_GRACE) -> None:
    """SIGTERM (or the service's stop signal) to every process group, SIGKILL after ``grace``
    seconds: nothing is left behind."""
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            signal_group(service.process, service.stop_signal)
    deadline = time.monotonic() + grace
    for service in reversed(running):
        if not service.process:
            continue
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{service.name} stopt niet binnen {grace:.0f} s; ik beëindig hem.")
    for service in running:
        if service.process:
            signal_group(service.process, signal.SIGKILL)  # also children left behind
            service.process.wait()


class StopRequest:
    """Signal handler: the first SIGINT/SIGTERM asks to stop; later ones cannot interrupt."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, _frame: object) -> None:
        if self.requested:
            log("Ik ben al aan het stoppen; even geduld.")
            return
        self.requested = True
        log("stoppen...")

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self)
        signal.signal(signal.SIGINT, self)
