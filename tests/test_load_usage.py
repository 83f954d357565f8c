"""scripts/load/usage.py: CPU seconds per process tree and a child's environment, from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts" / "load"))
import usage  # noqa: E402  scripts/load/usage.py

BURN = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"


def test_a_process_tree_counts_the_cpu_of_its_children_and_a_gone_pid_counts_zero():
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}]); input()",
        ],
        stdin=subprocess.PIPE,
        env={**os.environ, "USAGE_TEST": "ja"},
    )
    try:
        deadline = time.monotonic() + 60
        while usage.cpu_seconds(parent.pid) < 0.5 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert usage.cpu_seconds(parent.pid) >= 0.5  # the grandchild's burn, waited for
        assert usage.process_env(parent.pid, "USAGE_TEST") == "ja"
        assert usage.process_env(parent.pid, "NOT_THERE_AT_ALL") is None
    finally:
        parent.communicate(b"\n", timeout=30)
    assert usage.cpu_seconds(parent.pid) == 0.0  # reaped: no /proc entry any more


def test_a_level_line_names_the_services_per_message_and_the_hit_rate():
    line = usage.Usage({"Rasa-server": 10.0, "actieserver": 2.0}, 3.0, 5, 15).line(200)
    assert line.startswith("CPU: Rasa-server 10.0 s (50 ms/bericht), actieserver 2.0 s (10 ms/")
    assert "Locust 3.0 s" in line and "query-cache 5/20 treffers (25%)" in line


def test_no_action_server_means_no_cache_counts():
    assert usage.cache_counters(["http://127.0.0.1:9"], "x") == {"hits": 0, "misses": 0}
