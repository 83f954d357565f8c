"""Start the Methodewijzer services, keep them running, stop them all on Ctrl-C.

Used by `make run` (all services) and `make shell` (action server + `rasa shell`), and by the
end-to-end tests. Settings come from the environment or a `.env` file (see .env.example).

A service that dies is started again after 1, 2, 4 ... at most 30 s (back to 1 s after a
minute of running) while the others keep running. Each service runs in its own process group,
so stopping it also stops its workers. A second Ctrl-C or SIGTERM during shutdown does not
interrupt it: every group gets SIGTERM, then SIGKILL after STOP_GRACE seconds, and no process
or port is left behind. Files are created readable for this user only (umask 077), and old
conversations are removed at start and once a day (`python -m knowledge purge`).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "methodewijzer.tar.gz"
BACKOFF_FIRST = 1.0  # seconds before the first restart of a service that died
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # seconds of running after which the back-off starts again at 1 s
STOP_GRACE = 10.0  # seconds between SIGTERM and SIGKILL at shutdown
PURGE_EVERY = 24 * 3600.0
UMASK = 0o077  # databases, logs and plans: readable by this user only


@dataclass
class Service:
    name: str
    command: list[str]
    port: int | None  # None: no port of its own (the Telegram bridge polls Telegram)
    health_url: str | None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    backoff: float = BACKOFF_FIRST
    started: float = 0.0
    restart_at: float | None = None  # set while a dead service waits for its restart
    restarts: int = 0
    recovering: bool = False  # restarted, not yet healthy again


def settings(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Settings from `environ`; by default from os.environ after loading `.env`.

    Tests and benchmarks pass an environment of their own, so that neither the developer's
    `.env` nor their shell (a Telegram token, a database URL) reaches the services they start.
    """
    if environ is None:
        load_dotenv(ROOT / ".env", override=False)
        environ = os.environ
    data_dir = Path(environ.get("METHODEWIJZER_DATA_DIR", ROOT / "data"))
    values = {
        "RASA_PORT": environ.get("RASA_PORT", "5005"),
        "ACTION_PORT": environ.get("ACTION_PORT", "5055"),
        "WEB_PORT": environ.get("WEB_PORT", "8080"),
        "HOST": environ.get("METHODEWIJZER_HOST", "127.0.0.1"),
        "DATA_DIR": str(data_dir),
    }
    return values


# What a sealed environment keeps of the caller's: how to find programs, the user and the locale.
SEALED_KEEP = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ")


def sealed_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for services started by tests and benchmarks: nothing of `.env` or of
    the developer's shell (no TELEGRAM_*, no METHODEWIJZER_DATABASE_URL) unless given in `extra`.
    """
    kept = {k: os.environ[k] for k in SEALED_KEEP if k in os.environ}
    return {**kept, **(extra or {})}


def common_env(s: dict[str, str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The services' environment: `environ` (default os.environ) plus the fixed settings."""
    data_dir = Path(s["DATA_DIR"])
    (data_dir / "rasa").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ if environ is None else environ)
    plans_dir = env.get("METHODEWIJZER_PLANS_DIR") or str(data_dir / "plans")
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONPATH": str(ROOT),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{s['ACTION_PORT']}/webhook",
            "RASA_TRACKER_DB": str(data_dir / "rasa" / "tracker.db"),
            "METHODEWIJZER_PLANS_DIR": plans_dir,
            "WEB_PORT": s["WEB_PORT"],
            # Rasa sends it (bot/endpoints.yml), the action server checks it
            # (rasa_sdk_plugins/action_token.py): a new random one per start unless set.
            "ACTION_SERVER_TOKEN": env.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32),
        }
    )
    return env


def services(s: dict[str, str], environ: Mapping[str, str] | None = None) -> list[Service]:
    environ = os.environ if environ is None else environ
    action = Service(
        "actieserver",
        [str(PYTHON), "-m", "action_server", "--actions", "actions", "--port", s["ACTION_PORT"]],
        int(s["ACTION_PORT"]),
        f"http://127.0.0.1:{s['ACTION_PORT']}/health",
        # rasa-sdk listens on 0.0.0.0 unless told otherwise; a caller there could send any
        # tracker (any sender id) and so act for any plan participant.
        env={"SANIC_HOST": "127.0.0.1"},
    )
    rasa = Service(
        "Rasa-server",
        [
            *(str(RASA), "run", "--model", str(MODEL), "--port", s["RASA_PORT"]),
            *("--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml"),
            # only our web server and bridge talk to Rasa: senders cannot be forged
            *("--interface", "127.0.0.1"),
        ],
        int(s["RASA_PORT"]),
        f"http://127.0.0.1:{s['RASA_PORT']}/",
    )
    web = Service(
        "webserver",
        [str(PYTHON), "-m", "channels.web.server"],
        int(s["WEB_PORT"]),
        f"http://127.0.0.1:{s['WEB_PORT']}/health",
    )
    wanted = [action, rasa, web]
    if environ.get("TELEGRAM_BOT_TOKEN"):
        wanted.append(
            Service(
                "Telegram-bridge",
                [str(PYTHON), "-m", "channels.telegram"],
                None,
                None,
                env={"RASA_REST_URL": f"http://127.0.0.1:{s['RASA_PORT']}/webhooks/rest/webhook"},
            )
        )
    return wanted


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
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def log(message: str) -> None:
    """Supervisor messages: service names, exit codes and delays, never message texts."""
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def migrate(env: dict[str, str]) -> None:
    """Bring the shared-plan database to the newest schema before any service writes to it."""
    subprocess.run(
        [str(PYTHON), "-m", "knowledge", "migrate"], cwd=ROOT, env=env, check=True, umask=UMASK
    )


def purge(env: dict[str, str]) -> subprocess.Popen:
    """Remove conversations older than METHODEWIJZER_RETENTION_DAYS, in the background."""
    return subprocess.Popen(
        [str(PYTHON), "-m", "knowledge", "purge"], cwd=ROOT, env=env, umask=UMASK
    )


def start(service: Service, env: dict[str, str]) -> None:
    service.process = subprocess.Popen(
        service.command,
        cwd=ROOT,
        env={**env, **service.env},
        start_new_session=True,  # its own process group: stopping it stops its workers too
        umask=UMASK,
    )
    service.started = time.monotonic()
    service.restart_at = None


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal the service's whole process group (also when its leader has exited already)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def wait_healthy(running: list[Service], timeout: float) -> None:
    """Wait until every service answers; a service that stops is an error (tests, benches)."""
    deadline = time.monotonic() + timeout
    pending = list(running)
    while pending:
        for service in list(pending):
            if service.process and service.process.poll() is not None:
                raise RuntimeError(
                    f"{service.name} is gestopt (exitcode {service.process.returncode})."
                )
            if service.health_url is None or healthy(service.health_url):
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
            up = service.health_url is None or healthy(service.health_url)
            if service.process and service.process.poll() is None and up:
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
            if service.recovering and (service.health_url is None or healthy(service.health_url)):
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
    """SIGTERM to every process group, SIGKILL after ``grace`` s: nothing is left behind."""
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            signal_group(service.process, signal.SIGTERM)
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


def busy_ports(checked: list[Service]) -> bool:
    busy = [svc for svc in checked if svc.port and not port_free(svc.port)]
    for svc in busy:
        print(
            f"Poort {svc.port} ({svc.name}) is al in gebruik. Stop het andere programma of "
            f"kies een andere poort (RASA_PORT, ACTION_PORT, WEB_PORT).",
            file=sys.stderr,
        )
    return bool(busy)


def banner(s: dict[str, str]) -> str:
    telegram = "aan" if os.environ.get("TELEGRAM_BOT_TOKEN") else "uit (zet TELEGRAM_BOT_TOKEN)"
    return (
        "\nDe Methodewijzer draait.\n"
        f"  REST:        http://localhost:{s['RASA_PORT']}/webhooks/rest/webhook\n"
        f"  Actieserver: http://localhost:{s['ACTION_PORT']}/health\n"
        f"  Web:         http://localhost:{s['WEB_PORT']}/  (plannen: /plans/<id>.docx)\n"
        f"  Telegram:    {telegram}\n"
        "Stoppen: Ctrl-C.\n"
    )


def shell(s: dict[str, str], env: dict[str, str]) -> int:
    """`rasa shell` in the foreground, on loopback like `rasa run`."""
    return subprocess.call(
        [
            *(str(RASA), "shell", "--model", str(MODEL)),
            *("--endpoints", "bot/endpoints.yml", "--port", s["RASA_PORT"]),
            *("--interface", "127.0.0.1"),
        ],
        cwd=ROOT,
        env=env,
        umask=UMASK,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="action server + rasa shell")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for health")
    parser.add_argument("--no-dotenv", action="store_true", help="ignore .env (used by tests)")
    args = parser.parse_args()
    if not MODEL.exists() or not RASA.exists():
        print(
            "Het model of de Rasa-omgeving ontbreekt: voer eerst 'make setup' uit.", file=sys.stderr
        )
        return 2
    os.umask(UMASK)
    environ = os.environ if args.no_dotenv else None
    s = settings(environ)
    env = common_env(s, environ)
    wanted = services(s, environ)
    if busy_ports(wanted[:2] if args.shell else wanted):  # rasa shell serves too
        return 3
    if args.shell:
        wanted = wanted[:1]

    stop_request = StopRequest()
    stop_request.install()
    running: list[Service] = []
    purger: subprocess.Popen | None = None
    try:
        migrate(env)
        purger, purged_at = purge(env), time.monotonic()
        for service in wanted:
            if not stop_request.requested:
                start(service, env)
                running.append(service)
        wait_supervised(running, env, args.timeout, lambda: stop_request.requested)
        if args.shell:
            return 0 if stop_request.requested else shell(s, env)
        if not stop_request.requested:
            print(banner(s), flush=True)
        while not stop_request.requested:
            supervise(running, env)
            if time.monotonic() - purged_at >= PURGE_EVERY and purger.poll() is not None:
                purger, purged_at = purge(env), time.monotonic()
            time.sleep(1)
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        log(str(exc))
        return 1
    finally:
        stop_request.requested = True  # a signal from here on only says "even geduld"
        stop(running)
        if purger is not None and purger.poll() is None:
            purger.terminate()
            purger.wait()


if __name__ == "__main__":
    raise SystemExit(main())
