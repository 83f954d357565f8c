"""The REST channel of bot/credentials.yml installs the action-failure apology; importing the
apology module alone patches nothing. Run in the Rasa environment, as `rasa run` loads them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json
import rasa.core.actions.action as rasa_action
import rasa.core.run as rasa_run

original = rasa_action.RemoteAction.run
import rasa_ext.action_failure_apology as apology
patched_on_import = rasa_action.RemoteAction.run is not original
channels = rasa_run.create_http_input_channels(None, "bot/credentials.yml")
print(json.dumps({
    "patched_on_import": patched_on_import,
    "channels": [type(c).__module__ + "." + type(c).__name__ for c in channels],
    "names": [c.name() for c in channels],
    "installed": rasa_action.RemoteAction.run.__name__,
    "timeout": rasa_action.DEFAULT_REQUEST_TIMEOUT,
}))
"""


def test_the_rest_channel_installs_the_apology():
    result = subprocess.run(
        [str(ROOT / ".venv-rasa" / "bin" / "python"), "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ACTION_SERVER_TIMEOUT": "7",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
        },
        check=True,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "patched_on_import": False,
        "channels": ["rasa_ext.rest_channel.MethodewijzerRestInput"],
        "names": ["rest"],
        "installed": "_run_or_apologise",
        "timeout": 7.0,
    }
