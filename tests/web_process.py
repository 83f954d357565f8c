"""Start and stop our web server as a subprocess, as `make run` does (for the web tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_web_server(
    rasa_url: str, plans_dir: Path, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """The web server as `make run` starts it, on a free port; waits for /health.

    ``extra_env`` adds settings for this server only (e.g. METHODEWIJZER_WIDGET_ORIGINS).
    """
    port = free_port()
    env = {
        **os.environ,
        "WEB_PORT": str(port),
        "METHODEWIJZER_HOST": "127.0.0.1",
        "RASA_REST_URL": rasa_url,
        "METHODEWIJZER_PLANS_DIR": str(plans_dir),
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "channels.web.server"], cwd=ROOT, env=env, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"web server stopped with exit code {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("web server not healthy within 60 s")


def stop_web_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
