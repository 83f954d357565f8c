"""The engines of `make run-cluster`: PostgreSQL, Redis and HAProxy, each in its own directory.

Used by scripts/cluster.py. Each function prepares a service's directory and configuration and
returns a supervisor.Service; nothing here starts a process. Debian's packages provide the
programs (`make system-packages` installs postgresql, redis-server and haproxy when missing).

Passwords are made once per data directory and kept in ``secrets.json`` (mode 0600):
PostgreSQL uses scram-sha-256 on loopback, Redis requires a password; the services get them
from their environment, never on a command line (visible in ``ps``).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import stat
import string
import subprocess
import time
from pathlib import Path

import psycopg
import yaml
from psycopg import sql
from supervisor import ROOT, Service, as_user

PG_BIN_GLOB = "usr/lib/postgresql/*/bin"
PG_SUPERUSER = "postgres"
PG_OS_USER = "postgres"  # PostgreSQL refuses to run as root; Debian's package makes this user
APP_USER = "methodewijzer"  # the services' role: owns the two databases, no superuser
PLANS_DB = "methodewijzer"
TRACKER_DB = "rasa"
ENDPOINTS_TEMPLATE = ROOT / "deploy" / "endpoints.cluster.yml"
HAPROXY_TEMPLATE = ROOT / "deploy" / "haproxy.cfg.in"
REDIS_SERVER = "redis-server"
HAPROXY = "haproxy"


def missing_programs() -> list[str]:
    """Debian packages that are not installed (empty: all there)."""
    missing = []
    if postgres_bin() is None:
        missing.append("postgresql")
    if shutil.which(REDIS_SERVER) is None:
        missing.append("redis-server")
    if shutil.which(HAPROXY) is None and not Path("/usr/sbin/haproxy").exists():
        missing.append("haproxy")
    return missing


def haproxy_program() -> str:
    return shutil.which(HAPROXY) or "/usr/sbin/haproxy"


def postgres_bin() -> Path | None:
    usable = [p for p in Path("/").glob(PG_BIN_GLOB) if (p / "postgres").is_file()]
    return max(usable, key=lambda p: int(p.parent.name)) if usable else None


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def cluster_secrets(data_dir: Path) -> dict[str, str]:
    """The cluster's passwords, made on first use and kept in data_dir/secrets.json (0600)."""
    path = data_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {name: secrets.token_urlsafe(24) for name in ("postgres", "app", "redis")}
    descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(values, handle)
    return values


# --- PostgreSQL -----------------------------------------------------------------------------


def _traversable_for_others(path: Path) -> None:
    """PostgreSQL runs as its own OS user: every folder above its directory must let it pass."""
    for parent in [path, *path.parents]:
        if not parent.stat().st_mode & stat.S_IXOTH:
            raise RuntimeError(
                f"De map {parent} is niet toegankelijk voor de gebruiker {PG_OS_USER}; "
                "kies een andere METHODEWIJZER_DATA_DIR (of geef de map o+x)."
            )


def postgres_service(
    data_dir: Path, port: int, passwords: dict[str, str], durable: bool
) -> Service:
    """PostgreSQL in data_dir/postgres (initdb on first use), listening on 127.0.0.1:port."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL ontbreekt: voer 'make system-packages' uit.")
    root = private_dir(data_dir / "postgres")
    user = PG_OS_USER if os.geteuid() == 0 else None
    if user is not None:
        data_dir.chmod(0o711)  # others may pass through, not list
        _traversable_for_others(data_dir)
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    pgdata = root / "data"
    if not (pgdata / "PG_VERSION").exists():
        pwfile = root / "initdb.pw"
        pwfile.write_text(passwords["postgres"] + "\n")
        if user is not None:
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        try:
            subprocess.run(
                [
                    *(str(bin_dir / "initdb"), "-D", str(pgdata), "-U", PG_SUPERUSER),
                    *(f"--pwfile={pwfile}", "-A", "scram-sha-256", "-E", "UTF8", "--locale=C"),
                    *(() if durable else ("--no-sync",)),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                cwd=root,
                **as_user(user),
            )
        finally:
            pwfile.unlink(missing_ok=True)
    options = [
        *("-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="),
        *("-c", "max_connections=300"),
    ]
    if not durable:  # throwaway data (tests, benchmarks): no waiting for the disk
        options += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
    return Service(
        "postgres",
        [str(bin_dir / "postgres"), "-D", str(pgdata), "-p", str(port), *options],
        port,
        f"tcp://127.0.0.1:{port}",
        user=user,
        log_path=data_dir / "logs" / "postgres.log",
        # "fast" shutdown: ends the sessions and writes a checkpoint (SIGTERM waits for clients)
        stop_signal=signal.SIGINT,
    )


def prepare_databases(port: int, passwords: dict[str, str], timeout: float = 60) -> None:
    """The application role and its two databases (plans, conversations); idempotent."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = psycopg.connect(
                host="127.0.0.1",
                port=port,
                user=PG_SUPERUSER,
                password=passwords["postgres"],
                dbname="postgres",
                autocommit=True,
            )
            break
        except psycopg.OperationalError:  # still starting up
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_USER,))
        if exists.fetchone() is None:
            connection.execute(f"CREATE ROLE {APP_USER} LOGIN")
        connection.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(APP_USER), sql.Literal(passwords["app"])
            )
        )
        for name in (PLANS_DB, TRACKER_DB):
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                connection.execute(f"CREATE DATABASE {name} OWNER {APP_USER}")


# --- Redis ----------------------------------------------------------------------------------


def redis_service(data_dir: Path, port: int, passwords: dict[str, str]) -> Service:
    """Redis on 127.0.0.1:port with a password; nothing written to disk (locks and counters
    live minutes: after a restart conversations still continue, only the counts start over)."""
    root = private_dir(data_dir / "redis")
    config = root / "redis.conf"
    descriptor = os.open(config, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(
            f"bind 127.0.0.1\nport {port}\nprotected-mode yes\ndaemonize no\n"
            f'dir {root}\nsave ""\nappendonly no\nlogfile ""\n'
            f"requirepass {passwords['redis']}\n"
        )
    return Service(
        "redis",
        [shutil.which(REDIS_SERVER) or REDIS_SERVER, str(config)],
        port,
        f"tcp://127.0.0.1:{port}",
        log_path=data_dir / "logs" / "redis.log",
    )


# --- HAProxy --------------------------------------------------------------------------------


def haproxy_config(
    rasa: list[tuple[str, str]],
    actions: list[tuple[str, str]],
    rasa_port: int,
    action_port: int,
    stats_port: int,
    bind: str = "127.0.0.1",
) -> str:
    """deploy/haproxy.cfg.in with the servers ``(name, host:port)`` filled in."""

    def servers(pairs: list[tuple[str, str]]) -> str:
        return "\n".join(f"    server {name} {address} check" for name, address in pairs)

    return string.Template(HAPROXY_TEMPLATE.read_text()).substitute(
        bind=bind,
        stats_bind="127.0.0.1",
        rasa_port=rasa_port,
        action_port=action_port,
        stats_port=stats_port,
        rasa_servers=servers(rasa),
        action_servers=servers(actions),
    )


def haproxy_service(data_dir: Path, config: str, ports: list[int], stats_port: int) -> Service:
    root = private_dir(data_dir / "haproxy")
    path = root / "haproxy.cfg"
    path.write_text(config)
    subprocess.run([haproxy_program(), "-c", "-q", "-f", str(path)], check=True)
    return Service(
        "haproxy",
        [haproxy_program(), "-db", "-f", str(path)],  # -db: stay in the foreground
        ports[0],
        f"http://127.0.0.1:{stats_port}/stats",
        log_path=data_dir / "logs" / "haproxy.log",
    )


# --- Rasa endpoints -------------------------------------------------------------------------


def endpoints_file(data_dir: Path, lock_store: bool) -> Path:
    """deploy/endpoints.cluster.yml, or (lock_store=False) a copy without the Redis lock store:
    Rasa then uses its in-memory lock store, one per replica (to show the race it prevents)."""
    if lock_store:
        return ENDPOINTS_TEMPLATE
    endpoints = yaml.safe_load(ENDPOINTS_TEMPLATE.read_text())
    endpoints.pop("lock_store")
    path = private_dir(data_dir / "rasa") / "endpoints.no-lock-store.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path
