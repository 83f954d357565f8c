"""The services that tests start see an environment of their own, not the developer's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import _load_serve, stack_environ

FORBIDDEN = ("TELEGRAM_", "METHODEWIJZER_DATABASE_URL", "FROM_DOTENV")


@pytest.fixture
def serve(monkeypatch):
    """scripts/serve.py with a `.env` loader that records its calls and sets a variable."""
    module = _load_serve()
    calls = []

    def fake_load_dotenv(path, override=False):
        calls.append(path)
        os.environ["FROM_DOTENV"] = "1"

    monkeypatch.setattr(module, "load_dotenv", fake_load_dotenv)
    monkeypatch.setattr(module, "dotenv_calls", calls, raising=False)
    monkeypatch.delenv("FROM_DOTENV", raising=False)
    return module


@pytest.fixture
def developer_shell(monkeypatch):
    for key, value in {
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "TELEGRAM_ALLOWED_USERS": "42",
        "METHODEWIJZER_DATABASE_URL": "postgresql://prod.example/plans",
        "METHODEWIJZER_EMBEDDING_MODEL": "some-other-model",
    }.items():
        monkeypatch.setenv(key, value)


def test_stack_environment_is_sealed(serve, developer_shell, tmp_path, monkeypatch):
    ports = {"RASA_PORT": 1, "ACTION_PORT": 2, "WEB_PORT": 3}
    environ = stack_environ(serve, ports, tmp_path)
    settings = serve.settings(environ)
    env = serve.common_env(settings, environ)
    services = serve.services(settings, environ)

    assert serve.dotenv_calls == []  # `.env` is not read
    leaked = [k for k in env if k.startswith(FORBIDDEN) or k == "METHODEWIJZER_EMBEDDING_MODEL"]
    assert leaked == []
    assert [s.name for s in services] == ["actieserver", "Rasa-server", "webserver"]
    assert env["PATH"] == os.environ["PATH"]
    assert env["METHODEWIJZER_DATA_DIR"] == str(tmp_path)
    assert env["METHODEWIJZER_PLANS_DIR"] == str(tmp_path / "plans")
    assert settings["RASA_PORT"] == "1"
    assert env["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:2/webhook"


def test_an_explicit_setting_is_passed_on(serve, tmp_path):
    environ = serve.sealed_environ({"METHODEWIJZER_DATABASE_URL": "sqlite:///x.db"})
    assert (
        serve.common_env(
            serve.settings(environ | {"METHODEWIJZER_DATA_DIR": str(tmp_path)}), environ
        )["METHODEWIJZER_DATABASE_URL"]
        == "sqlite:///x.db"
    )


def test_make_run_still_reads_dotenv_and_the_shell(serve, developer_shell, tmp_path, monkeypatch):
    monkeypatch.setenv("METHODEWIJZER_DATA_DIR", str(tmp_path))
    settings = serve.settings()
    env = serve.common_env(settings)
    assert serve.dotenv_calls == [serve.ROOT / ".env"]
    assert env["FROM_DOTENV"] == "1" and env["TELEGRAM_BOT_TOKEN"] == "123:abc"
    assert "Telegram-bridge" in [s.name for s in serve.services(settings)]


@pytest.mark.e2e
def test_running_services_got_the_sealed_environment(stack):
    """Read each running service's environment from /proc: nothing of the test process."""
    for service in stack["services"]:
        raw = Path(f"/proc/{service.process.pid}/environ").read_bytes()
        keys = {item.split(b"=", 1)[0].decode() for item in raw.split(b"\0") if item}
        # pytest sets PYTEST_CURRENT_TEST in its own environment while the stack starts.
        assert "PYTEST_CURRENT_TEST" not in keys, service.name
        assert not [k for k in keys if k.startswith(FORBIDDEN)], service.name
        assert keys <= set(stack["env"]) | set(service.env), service.name
