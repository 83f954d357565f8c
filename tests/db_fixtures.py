"""Database fixtures: a SQLite file and a real, throwaway PostgreSQL server (one per test run).

Use them from a test module with `pytest_plugins = ["tests.db_fixtures"]` (or from conftest.py).
The PostgreSQL server comes from Debian's postgresql package (/usr/lib/postgresql/*/bin); without
it the PostgreSQL cases are skipped, or fail when METHODEWIJZER_REQUIRE_POSTGRES=1 (make test).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from knowledge.sharing import SharedPlanStore

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_DATABASE = "methodewijzer_test"
PG_USER = "postgres"  # the database superuser, and the OS user that runs the server as root
REQUIRE_POSTGRES_SETTING = "METHODEWIJZER_REQUIRE_POSTGRES"
PG_TOOLS = ("initdb", "pg_ctl", "postgres", "createdb")


def find_postgres_bin() -> Path | None:
    """The newest PostgreSQL bin directory that has every tool we need."""
    candidates = [Path(p) for p in Path("/").glob(PG_BIN_GLOB.lstrip("/"))]
    usable = [p for p in candidates if all((p / tool).is_file() for tool in PG_TOOLS)]

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in path.parent.name.split(".") if x.isdigit())

    return max(usable, key=version) if usable else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing_postgres() -> str | None:
    """Why no server can be started here, or None."""
    if find_postgres_bin() is None:
        return (
            f"PostgreSQL binaries not found under {PG_BIN_GLOB} "
            "(install Debian's 'postgresql' package)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"running as root but there is no OS user {PG_USER!r} to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root but 'runuser' is missing"
    return None


@contextmanager
def temporary_postgres(
    database: str = PG_DATABASE, durable: bool = False, bin_dir: Path | None = None
) -> Iterator[str]:
    """Start a throwaway server on 127.0.0.1 (trust auth); yield its URL; stop and remove it.

    durable=False turns fsync off: fine for a server whose data is deleted afterwards.
    """
    bin_dir = bin_dir or find_postgres_bin()
    if bin_dir is None:
        raise RuntimeError(_missing_postgres())
    root = Path(tempfile.mkdtemp(prefix="methodewijzer-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        entry = pwd.getpwnam(PG_USER)
        os.chown(root, entry.pw_uid, entry.pw_gid)
        prefix = ["runuser", "-u", PG_USER, "--"]
    data, log = root / "data", root / "postgres.log"

    def run(*args: str | Path) -> None:
        subprocess.run(
            [*prefix, *map(str, args)],
            cwd=root,
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=120,
        )

    started = False
    try:
        initdb_options = f"-U {PG_USER} -A trust -E UTF8 --locale=C --no-sync".split()
        run(bin_dir / "initdb", "-D", data, *initdb_options)
        options = f"-c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        for _attempt in range(3):  # another process may grab the free port in between
            port = free_port()
            try:
                server_options = f"-p {port} {options}"
                run(bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-o", server_options, "start")
            except subprocess.CalledProcessError:
                continue
            started = True
            break
        if not started:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start:\n{tail}")
        run(bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", PG_USER, database)
        yield f"postgresql+psycopg://{PG_USER}@127.0.0.1:{port}/{database}"
    finally:
        if (data / "postmaster.pid").exists():
            run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of an empty database on a real PostgreSQL server that lives for the whole run."""
    reason = _missing_postgres()
    if reason is not None:
        if os.environ.get(REQUIRE_POSTGRES_SETTING) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_SETTING}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with temporary_postgres() as url:
        yield url


def reset_postgres(url: str) -> None:
    """An empty public schema: every test starts from an unmigrated database."""
    from knowledge.sharing.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database per test, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/methodewijzer.sqlite"
    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    return url


@pytest.fixture
def shared_store(db_url: str) -> Iterator[SharedPlanStore]:
    """A migrated SharedPlanStore on an empty database (closed afterwards)."""
    from knowledge.sharing import SharedPlanStore

    store = SharedPlanStore(db_url)
    store.migrate()
    try:
        yield store
    finally:
        store.close()
