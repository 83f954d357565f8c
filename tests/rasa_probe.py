"""Run a piece of Python in the Rasa venv (Python 3.10, where rasa imports) from a test in our
venv, and give back the last line it printed: the probe's report."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def rasa_probe(code: str, *, stdin: str | None = None, timeout: float = 300) -> str:
    """The last line the code printed; a non-zero exit fails the calling test."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    output = subprocess.run(
        [str(RASA_PYTHON), "-c", code],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout
    return output.strip().splitlines()[-1]
