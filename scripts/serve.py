"""Start the Methodewijzer services, wait until they are healthy, stop them all on Ctrl-C.

Used by `make run` (all services) and `make shell` (action server + `rasa shell`), and by the
end-to-end tests. Settings come from the environment or a `.env` file (see .env.example).
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parents[1]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "methodewijzer.tar.gz"


@dataclass
class Service:
    name: str
    command: list[str]
    port: int | None  # None: no port of its own (the Telegram bridge polls Telegram)
    health_url: str | None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None


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
        }
    )
    return env


def services(s: dict[str, str], environ: Mapping[str, str] | None = None) -> list[Service]:
    environ = os.environ if environ is None else environ
    action = Service(
        "actieserver",
        [str(PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", s["ACTION_PORT"]],
        int(s["ACTION_PORT"]),
        f"http://127.0.0.1:{s['ACTION_PORT']}/health",
        # rasa-sdk listens on 0.0.0.0 unless told otherwise; a caller there could send any
        # tracker (any sender id) and so act for any plan participant.
        env={"SANIC_HOST": "127.0.0.1"},
    )
    rasa = Service(
        "Rasa-server",
        [
            str(RASA),
            "run",
            "--model",
            str(MODEL),
            "--endpoints",
            "bot/endpoints.yml",
            "--credentials",
            "bot/credentials.yml",
            "--port",
            s["RASA_PORT"],
            "--interface",
            "127.0.0.1",  # only our web server and bridge talk to Rasa: senders cannot be forged
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


def migrate(env: dict[str, str]) -> None:
    """Bring the shared-plan database to the newest schema before any service writes to it."""
    subprocess.run([str(PYTHON), "-m", "knowledge", "migrate"], cwd=ROOT, env=env, check=True)


def start(service: Service, env: dict[str, str]) -> None:
    service.process = subprocess.Popen(
        service.command, cwd=ROOT, env={**env, **service.env}, start_new_session=True
    )


def wait_healthy(running: list[Service], timeout: float) -> None:
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


def stop(running: list[Service]) -> None:
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
    for service in reversed(running):
        if not service.process:
            continue
        try:
            service.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shell", action="store_true", help="action server + rasa shell")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for health")
    args = parser.parse_args()
    if not MODEL.exists() or not RASA.exists():
        print(
            "Het model of de Rasa-omgeving ontbreekt: voer eerst 'make setup' uit.", file=sys.stderr
        )
        return 2
    s = settings()
    env = common_env(s)
    wanted = services(s)
    if args.shell:
        wanted = wanted[:1]
    checked = services(s)[:2] if args.shell else wanted  # rasa shell runs its own server too
    busy = [svc for svc in checked if svc.port and not port_free(svc.port)]
    if busy:
        for svc in busy:
            print(
                f"Poort {svc.port} ({svc.name}) is al in gebruik. Stop het andere programma of "
                f"kies een andere poort (RASA_PORT, ACTION_PORT, WEB_PORT).",
                file=sys.stderr,
            )
        return 3

    running: list[Service] = []

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        migrate(env)
        for service in wanted:
            start(service, env)
            running.append(service)
        wait_healthy(running, args.timeout)
        if args.shell:
            return subprocess.call(
                [
                    *(str(RASA), "shell", "--model", str(MODEL)),
                    *("--endpoints", "bot/endpoints.yml", "--port", s["RASA_PORT"]),
                ],
                cwd=ROOT,
                env=env,
            )
        print(
            "\nDe Methodewijzer draait.\n"
            f"  REST:        http://localhost:{s['RASA_PORT']}/webhooks/rest/webhook\n"
            f"  Actieserver: http://localhost:{s['ACTION_PORT']}/health\n"
            f"  Web:         http://localhost:{s['WEB_PORT']}/  (plannen: /plans/<id>.docx)\n"
            + (
                "  Telegram:    aan\n"
                if os.environ.get("TELEGRAM_BOT_TOKEN")
                else "  Telegram:    uit (zet TELEGRAM_BOT_TOKEN)\n"
            )
            + "Stoppen: Ctrl-C.\n",
            flush=True,
        )
        while True:
            for service in running:
                if service.process and service.process.poll() is not None:
                    print(f"[serve] {service.name} is onverwacht gestopt.", file=sys.stderr)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\n[serve] stoppen...", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"[serve] {exc}", file=sys.stderr)
        return 1
    finally:
        stop(running)


if __name__ == "__main__":
    raise SystemExit(main())
