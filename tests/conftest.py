"""Shared fixtures: one searcher and one running stack of services per test session."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def searcher():
    from knowledge.search import get_searcher

    return get_searcher()


def _load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["serve"] = module  # dataclasses need the module to be registered
    spec.loader.exec_module(module)
    return module


def stack_environ(serve, ports: dict[str, int], data: Path) -> dict[str, str]:
    """The e2e stack's own environment: ports and a temporary data directory, nothing else."""
    return serve.sealed_environ(
        {
            **{k: str(v) for k, v in ports.items()},
            "METHODEWIJZER_DATA_DIR": str(data),
            "METHODEWIJZER_PLANS_DIR": str(data / "plans"),
        }
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Real action server, Rasa server and web server on free ports, stopped at the end."""
    serve = _load_serve()
    assert serve.MODEL.exists(), "run `make setup` first (make test does)"
    data = tmp_path_factory.mktemp("data")
    ports = {
        "RASA_PORT": serve.free_port(),
        "ACTION_PORT": serve.free_port(),
        "WEB_PORT": serve.free_port(),
    }
    # Sealed from the machine: no `.env`, no TELEGRAM_*, no database URL of the developer's.
    environ = stack_environ(serve, ports, data)
    settings = serve.settings(environ)
    env = serve.common_env(settings, environ)
    services = serve.services(settings, environ)
    try:
        serve.migrate(env)
        for service in services:
            serve.start(service, env)
        serve.wait_healthy(services, timeout=240)
        yield {
            "url": f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            "web": f"http://127.0.0.1:{ports['WEB_PORT']}",
            "services": services,
            "data": data,
            "serve": serve,
            "env": env,
        }
    finally:
        serve.stop(services)


@pytest.fixture
def sharing_db(tmp_path, monkeypatch):
    """The sharing service's plan store and documents in a fresh temp dir (SQLite), for one test."""
    from knowledge.sharing.service import reset_sharing_service, sharing_service

    monkeypatch.setenv("METHODEWIJZER_DATABASE_URL", f"sqlite:///{tmp_path / 'plans.sqlite'}")
    monkeypatch.setenv("METHODEWIJZER_PLANS_DIR", str(tmp_path / "plans"))
    reset_sharing_service()
    yield sharing_service().store
    reset_sharing_service()
