"""The Methodewijzer scaled out on one machine, on existing engines (`make run-cluster` runs it
through scripts/run_cluster.py; tests and benchmarks use running_cluster() below).

    PostgreSQL   tracker store (database "rasa") and plan store (database "methodewijzer")
    Redis        Rasa's RedisLockStore (db 1) and the web server's rate limits (db 2)
    rasa-1..N    Rasa servers (RASA_REPLICAS, default 2), all stateless
    action-1..M  action servers (ACTION_REPLICAS, default 2), all stateless
    haproxy      one balancer in front of the Rasa REST channel and of the action servers:
                 least connections, health checks every 2 s, redispatch on connection failure
    web          our web server (and the Telegram bridge when TELEGRAM_BOT_TOKEN is set),
                 talking to Rasa through the balancer

Every service listens on 127.0.0.1 and writes its log to <data dir>/logs/<name>.log; PostgreSQL,
Redis and HAProxy keep their files in <data dir>/<engine>/. The processes are supervised like
`make run` (scripts/supervisor.py): a service that dies is restarted with back-off while the
others keep running; Ctrl-C stops everything. The Rasa settings are deploy/endpoints.cluster.yml
with ${VAR}s, the same file a multi-host layout uses (deploy/README.md).

Python API (tests/test_cluster.py, the cluster benchmark)::

    from cluster import running_cluster          # scripts/ on sys.path
    with running_cluster(data_dir, rasa_replicas=2, action_replicas=2, lock_store=True) as c:
        c.web_url          # our web server: POST {web_url}/api/chat
        c.rasa_url         # the balancer in front of Rasa; c.rest_url is its REST webhook
        c.rasa_urls        # each Rasa replica directly (http://127.0.0.1:port), in order
        c.action_urls      # each action server directly
        c.postgres_dsn     # the plan store (postgresql+psycopg://...); c.tracker_dsn: Rasa's
        c.redis_url        # redis://:password@127.0.0.1:port/2 (shared counters)
        c.pids             # {"postgres": .., "redis": .., "rasa-1": .., "action-2": .., ...}
        pid = c.kill("rasa-1")            # SIGKILL to its process group
        c.wait_restarted("rasa-1", pid)   # until the supervisor restarted it and it is healthy
        c.served("rasa")   # HAProxy's per-server responses: {"rasa-1": 12, "rasa-2": 11}
        c.balancer_up("rasa")  # HAProxy's health view: {"rasa-1": True, "rasa-2": False}
        c.env              # the services' environment; c.log_path("rasa-1") its log file

lock_store=False starts the same cluster without the Redis lock store (each replica then has
Rasa's in-memory lock store), to show the race the lock store prevents. The data directory is
used as given (a test passes a temporary one; PostgreSQL runs as the OS user postgres when
started as root, so the folder must be reachable: not under pytest's 0700 tmp root); the
services run on free ports unless ``rasa_port`` / ``web_port`` are given (make run-cluster:
RASA_PORT and WEB_PORT). ``environ`` adds settings for every service, e.g.
``serve.sealed_environ({"TICKET_LOCK_LIFETIME": "20"})``; by default they are sealed from
`.env` and the shell.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster_parts as parts
import serve
from supervisor import (
    UMASK,
    Service,
    free_port,
    ready,
    signal_group,
    start,
    stop,
    supervise,
    wait_healthy,
    wait_supervised,
)

ROOT = serve.ROOT
DEFAULT_REPLICAS = 2


def say(message: str) -> None:
    print(f"[cluster] {message}", file=sys.stderr, flush=True)


@dataclass
class Cluster:
    data_dir: Path
    web_url: str
    rasa_url: str
    rasa_urls: list[str]
    action_urls: list[str]
    postgres_dsn: str
    tracker_dsn: str
    redis_url: str
    stats_url: str
    services: dict[str, Service]
    env: dict[str, str]
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    @property
    def pids(self) -> dict[str, int]:
        with self.lock:
            return {
                name: s.process.pid
                for name, s in self.services.items()
                if s.process is not None and s.process.poll() is None
            }

    def log_path(self, name: str) -> Path:
        return self.data_dir / "logs" / f"{name}.log"

    def kill(self, name: str, signum: int = signal.SIGKILL) -> int:
        """Signal a service's process group (default SIGKILL); returns the pid it had."""
        with self.lock:
            process = self.services[name].process
            assert process is not None, f"{name} draait niet"
            signal_group(process, signum)
            return process.pid

    def wait_restarted(self, name: str, old_pid: int, timeout: float = 300) -> float:
        """Seconds until the supervisor runs ``name`` again under a new pid and it is healthy."""
        began = time.monotonic()
        service = self.services[name]
        while time.monotonic() - began < timeout:
            with self.lock:
                process = service.process
                alive = process is not None and process.poll() is None
            if alive and process.pid != old_pid and ready(service):
                return time.monotonic() - began
            time.sleep(0.5)
        raise TimeoutError(f"{name} is niet binnen {timeout:.0f} s opnieuw gestart")

    def balancer_rows(self) -> list[dict[str, str]]:
        """HAProxy's statistics, one row per frontend, backend and server."""
        with urllib.request.urlopen(f"{self.stats_url};csv", timeout=5) as response:
            text = response.read().decode().lstrip("# ")
        return list(csv.DictReader(io.StringIO(text)))

    def served(self, backend: str = "rasa") -> dict[str, int]:
        """HTTP responses each server of ``backend`` ("rasa" or "actions") gave through the
        balancer (a connection that failed and was sent elsewhere does not count)."""
        rows = self.balancer_rows()
        kinds = ("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other")
        return {
            row["svname"]: sum(int(row[kind] or 0) for kind in kinds)
            for row in rows
            if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def balancer_up(self, backend: str = "rasa") -> dict[str, bool]:
        rows = self.balancer_rows()
        return {
            row["svname"]: row["status"].startswith("UP")
            for row in rows
            if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
        }


def _dsn(driver: str, passwords: dict[str, str], port: int, db: str) -> str:
    user, password = parts.APP_USER, passwords["app"]
    return f"postgresql+{driver}://{user}:{password}@127.0.0.1:{port}/{db}"


def _wait_balanced(cluster: Cluster, timeout: float) -> None:
    """Until HAProxy sees every replica and action server as UP (its own health checks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = {**cluster.balancer_up("rasa"), **cluster.balancer_up("actions")}
        if states and all(states.values()):
            return
        time.sleep(0.5)
    raise RuntimeError(f"HAProxy ziet niet alle servers als gezond: {states}")


@contextmanager
def running_cluster(
    data_dir: Path,
    rasa_replicas: int = DEFAULT_REPLICAS,
    action_replicas: int = DEFAULT_REPLICAS,
    lock_store: bool = True,
    log: Callable[[str], None] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    rasa_port: int | None = None,
    web_port: int | None = None,
    durable: bool = False,
    timeout: float = 900,
    stopping: Callable[[], bool] | None = None,
) -> Iterator[Cluster]:
    """Start the cluster in ``data_dir``, yield it once every service is healthy, stop it.

    ``environ``: the services' base environment; None seals them from `.env` and the shell
    (tests, benchmarks). ``durable=False`` turns PostgreSQL's fsync off (throwaway data).
    ``stopping``: make run-cluster's Ctrl-C; with it a service that dies while starting is
    restarted instead of failing the start.
    """
    log = log or say
    missing = parts.missing_programs()
    if missing:
        raise RuntimeError(f"Niet geïnstalleerd: {', '.join(missing)} (make system-packages)")
    os.umask(UMASK)
    data_dir = Path(data_dir).resolve()
    parts.private_dir(data_dir)
    passwords = parts.cluster_secrets(data_dir)
    ports = {
        "postgres": free_port(),
        "redis": free_port(),
        "rasa_lb": rasa_port or free_port(),
        "action_lb": free_port(),
        "stats": free_port(),
        "web": web_port or free_port(),
    }
    rasa_ports = [free_port() for _ in range(rasa_replicas)]
    action_ports = [free_port() for _ in range(action_replicas)]
    base = serve.sealed_environ() if environ is None else dict(environ)
    base.update(
        {
            "RASA_PORT": str(ports["rasa_lb"]),
            "ACTION_PORT": str(ports["action_lb"]),
            "WEB_PORT": str(ports["web"]),
            "METHODEWIJZER_DATA_DIR": str(data_dir),
        }
    )
    env = serve.common_env(serve.settings(base), base)
    env.pop("RASA_TRACKER_DB", None)  # the conversations are in PostgreSQL
    redis_url = f"redis://:{passwords['redis']}@127.0.0.1:{ports['redis']}/2"
    env.update(
        {
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(ports["postgres"]),
            "TRACKER_DB_NAME": parts.TRACKER_DB,
            "TRACKER_DB_USER": parts.APP_USER,
            "TRACKER_DB_PASSWORD": passwords["app"],
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(ports["redis"]),
            "REDIS_PASSWORD": passwords["redis"],
            "REDIS_LOCK_DB": "1",
            "REDIS_URL": redis_url,
            "METHODEWIJZER_DATABASE_URL": _dsn(
                "psycopg", passwords, ports["postgres"], parts.PLANS_DB
            ),
            "METHODEWIJZER_TRACKER_URL": _dsn(
                "psycopg", passwords, ports["postgres"], parts.TRACKER_DB
            ),
            "RASA_REST_URL": f"http://127.0.0.1:{ports['rasa_lb']}/webhooks/rest/webhook",
        }
    )
    endpoints = parts.endpoints_file(data_dir, lock_store)
    logs = data_dir / "logs"
    engines = [
        parts.postgres_service(data_dir, ports["postgres"], passwords, durable),
        parts.redis_service(data_dir, ports["redis"], passwords),
    ]
    actions = [
        Service(
            f"action-{i}",
            [str(serve.PYTHON), "-m", "action_server", "--actions", "actions", "--port", str(p)],
            p,
            f"http://127.0.0.1:{p}/health",
            env={"SANIC_HOST": "127.0.0.1"},
            log_path=logs / f"action-{i}.log",
        )
        for i, p in enumerate(action_ports, 1)
    ]
    rasas = [
        Service(
            f"rasa-{i}",
            [
                *(str(serve.RASA), "run", "--model", str(serve.MODEL), "--port", str(p)),
                *("--endpoints", str(endpoints), "--credentials", "bot/credentials.yml"),
                *("--interface", "127.0.0.1"),
            ],
            p,
            f"http://127.0.0.1:{p}/",
            log_path=logs / f"rasa-{i}.log",
        )
        for i, p in enumerate(rasa_ports, 1)
    ]
    config = parts.haproxy_config(
        [(s.name, f"127.0.0.1:{s.port}") for s in rasas],
        [(s.name, f"127.0.0.1:{s.port}") for s in actions],
        ports["rasa_lb"],
        ports["action_lb"],
        ports["stats"],
    )
    balancer = parts.haproxy_service(
        data_dir, config, [ports["rasa_lb"], ports["action_lb"]], ports["stats"]
    )
    channels = [
        Service(
            "web",
            [str(serve.PYTHON), "-m", "channels.web.server"],
            ports["web"],
            f"http://127.0.0.1:{ports['web']}/health",
            log_path=logs / "web.log",
        )
    ]
    if env.get("TELEGRAM_BOT_TOKEN"):
        channels.append(
            Service(
                "telegram",
                [str(serve.PYTHON), "-m", "channels.telegram"],
                None,
                None,
                log_path=logs / "telegram.log",
            )
        )
    cluster = Cluster(
        data_dir=data_dir,
        web_url=f"http://127.0.0.1:{ports['web']}",
        rasa_url=f"http://127.0.0.1:{ports['rasa_lb']}",
        rasa_urls=[f"http://127.0.0.1:{s.port}" for s in rasas],
        action_urls=[f"http://127.0.0.1:{s.port}" for s in actions],
        postgres_dsn=env["METHODEWIJZER_DATABASE_URL"],
        tracker_dsn=env["METHODEWIJZER_TRACKER_URL"],
        redis_url=redis_url,
        stats_url=f"http://127.0.0.1:{ports['stats']}/stats",
        services={},
        env=env,
    )
    running: list[Service] = []
    done = threading.Event()

    def launch(group: list[Service]) -> None:
        with cluster.lock:
            for service in group:
                start(service, env)
                running.append(service)
                cluster.services[service.name] = service

    def wait(group: list[Service]) -> None:
        if stopping is None:
            wait_healthy(group, timeout)
        else:
            wait_supervised(group, env, timeout, stopping)

    def keep_running() -> None:
        while not done.wait(0.5):
            with cluster.lock:
                supervise(running, env)

    supervisor_thread = threading.Thread(target=keep_running, name="cluster-supervisor")
    try:
        log(f"PostgreSQL en Redis starten in {data_dir}")
        launch(engines)
        wait(engines)
        parts.prepare_databases(ports["postgres"], passwords)
        serve.migrate(env)
        purger = serve.purge(env)
        log(f"{rasa_replicas} Rasa-server(s), {action_replicas} actieserver(s), HAProxy, web")
        launch([*actions, *rasas, balancer, *channels])
        wait(running)
        _wait_balanced(cluster, timeout=60)
        purger.wait()
        supervisor_thread.start()
        yield cluster
    finally:
        done.set()
        if supervisor_thread.is_alive():
            supervisor_thread.join()
        with cluster.lock:
            stop(running)
