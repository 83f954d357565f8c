"""scripts/bench_e2e.py counts apologies as errors and measures whole process trees."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import _load_serve

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    _load_serve()  # bench_e2e imports `serve` (scripts/serve.py) and scripts/bench_stack.py
    if str(ROOT / "scripts") not in sys.path:
        sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("bench_e2e", ROOT / "scripts" / "bench_e2e.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_e2e"] = module  # its dataclasses need the module to be registered
    spec.loader.exec_module(module)
    return module


def test_fallback_texts_are_read_from_the_domain_and_rasa_ext(bench):
    texts = bench.fallback_texts()
    assert any(t.startswith("Sorry, dat begreep ik niet") for t in texts)  # utter_default
    assert any(t.startswith("Sorry, er ging bij mij iets mis") for t in texts)  # rasa_ext


def test_apology_fallback_and_empty_replies_are_errors(bench):
    fallbacks = {"Sorry, dat begreep ik niet goed."}
    assert bench.is_error([], fallbacks)
    assert bench.is_error([{"recipient_id": "x", "text": "  "}], fallbacks)
    assert bench.is_error(
        [{"text": "Hoi!"}, {"text": "Sorry, dat begreep ik niet goed."}], fallbacks
    )
    assert not bench.is_error([{"text": "KVO is het Keurmerk Veilig Ondernemen."}], fallbacks)
    assert not bench.is_error([{"image": "http://127.0.0.1/plans/x.png"}], fallbacks)


def test_memory_counts_every_descendant(bench):
    # a shell with a child that has a child of its own (like Sanic's worker under rasa-sdk)
    grandchild = "import subprocess, time; subprocess.Popen(['sleep', '30']); time.sleep(30)"
    parent = subprocess.Popen(
        ["sh", "-c", f'{sys.executable} -c "{grandchild}" & wait'], start_new_session=True
    )
    try:
        deadline = time.monotonic() + 20
        while len(bench.process_tree(parent.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        tree = bench.process_tree(parent.pid)
        assert len(tree) == 3 and tree[0] == parent.pid
        mb, count = bench.rss_mb(parent.pid)
        assert count == 3 and mb > bench.rss_mb(tree[-1])[0]
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def test_floor_bot_is_rasa_init_with_one_custom_action_and_the_sql_store(bench, tmp_path):
    import yaml

    floor = bench.floor_bot
    floor.write_project(tmp_path)
    rules = yaml.safe_load((tmp_path / "data" / "rules.yml").read_text())
    actions = [step.get("action") for rule in rules["rules"] for step in rule["steps"]]
    assert "action_hello_world" in actions and "utter_iamabot" not in actions
    domain = yaml.safe_load((tmp_path / "domain.yml").read_text())
    assert domain["actions"] == ["action_hello_world"] and "utter_iamabot" in domain["responses"]
    assert "action_hello_world" in (tmp_path / "actions" / "actions.py").read_text()
    endpoints = yaml.safe_load((tmp_path / "endpoints.yml").read_text())
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": "${FLOOR_TRACKER_DB}",
    }
    # the cached model is keyed by the project and the Rasa version
    key = floor.project_hash(tmp_path, "3.6.21")
    assert key == floor.project_hash(tmp_path, "3.6.21") != floor.project_hash(tmp_path, "3.6.20")
