"""Start the Methodewijzer services, keep them running, stop them all on Ctrl-C.

Used by `make run` (all services) and `make shell` (action server + `rasa shell`), and by the
end-to-end tests. Settings come from the environment or a `.env` file (see .env.example).

The supervision is scripts/supervisor.py (shared with `make run-cluster`): a service that dies
is started again after 1, 2, 4 ... at most 30 s while the others keep running; each service
runs in its own process group; a second Ctrl-C or SIGTERM during shutdown does not interrupt
it: every group gets SIGTERM, then SIGKILL after 10 s, and no process or port is left behind.
Files are created readable for this user only (umask 077), and old
conversations are removed at start and once a day (`python -m knowledge purge`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from dotenv import load_dotenv

# supervisor.py sits next to this file (also when a test loads this file by its path)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from supervisor import (
    ROOT,
    UMASK,
    Service,
    StopRequest,
    free_port,
    log,
    port_free,
    start,
    stop,
    supervise,
    wait_healthy,
    wait_supervised,
)

__all__ = ["Service", "free_port", "start", "stop", "supervise", "wait_healthy"]

RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "methodewijzer.tar.gz"
PURGE_EVERY = 24 * 3600.0


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
        # Rasa uses no plan store: it loads its model (the slowest start) during the migration.
        for service in [svc for svc in wanted if svc.name == "Rasa-server"]:
            start(service, env)
            running.append(service)
        migrate(env)
        purger, purged_at = purge(env), time.monotonic()
        for service in wanted:
            if service not in running and not stop_request.requested:
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
