"""The Rasa floor for `make bench-e2e`: what `rasa init` gives, plus one custom action.

The project is Rasa 3.6.21's own starter (rasa/cli/initial_project, what `rasa init --no-prompt`
copies), with two changes: the "Say 'I am a bot'" rule runs a custom action on our rasa-sdk venv
(.venv) instead of a response, and the tracker store is Rasa's SQLTrackerStore on a SQLite file,
like ours. The trained model is cached in data/bench/ under a hash of the project files and the
Rasa version, so only the first run (or a Rasa upgrade) trains it, inside the shared make lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
CACHE = ROOT / "data" / "bench"
TRAIN_LOCK = Path("/tmp/methodewijzer-make.lock")  # the shared lock of common `make` trainings

ACTIONS = '''"""The floor's one custom action (rasa-sdk)."""

from rasa_sdk import Action


class ActionHelloWorld(Action):
    def name(self):
        return "action_hello_world"

    async def run(self, dispatcher, tracker, domain):
        dispatcher.utter_message(text="I am a bot, powered by Rasa.")
        return []
'''

ENDPOINTS = """action_endpoint:
  url: ${FLOOR_ACTION_URL}
tracker_store:
  type: SQL
  dialect: sqlite
  db: ${FLOOR_TRACKER_DB}
"""

# A moodbot conversation: every intent, and the custom action once per round.
CONVERSATION = ["hello", "I am sad", "yes", "are you a bot?", "I am great", "bye"]


def initial_project() -> Path:
    """Rasa's own starter project inside the Rasa environment."""
    out = subprocess.run(
        [str(RASA_PYTHON), "-c", "import rasa.cli, os; print(os.path.dirname(rasa.cli.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip()) / "initial_project"


def rasa_version() -> str:
    out = subprocess.run(
        [str(RASA_PYTHON), "-c", "import rasa; print(rasa.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def write_project(folder: Path) -> None:
    """`rasa init --no-prompt` without its training, then the custom action and the store."""
    shutil.copytree(initial_project(), folder, dirs_exist_ok=True)
    shutil.rmtree(folder / "actions" / "__pycache__", ignore_errors=True)
    (folder / "actions" / "actions.py").write_text(ACTIONS, encoding="utf-8")
    (folder / "endpoints.yml").write_text(ENDPOINTS, encoding="utf-8")
    domain = yaml.safe_load((folder / "domain.yml").read_text(encoding="utf-8"))
    domain["actions"] = ["action_hello_world"]
    (folder / "domain.yml").write_text(yaml.safe_dump(domain, sort_keys=False), encoding="utf-8")
    rules_file = folder / "data" / "rules.yml"
    rules = yaml.safe_load(rules_file.read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        for step in rule["steps"]:
            if step.get("action") == "utter_iamabot":
                step["action"] = "action_hello_world"
    rules_file.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")


def project_hash(folder: Path, version: str) -> str:
    digest = hashlib.sha256(version.encode())
    for path in sorted(p for p in folder.rglob("*.yml") if "tests" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(folder: Path, env: dict[str, str]) -> Path:
    """Write the floor project into ``folder``; return its trained model (cached)."""
    write_project(folder)
    key = project_hash(folder, rasa_version())
    model = CACHE / f"floor-{key}.tar.gz"
    if model.exists():
        return model
    CACHE.mkdir(parents=True, exist_ok=True)
    with TRAIN_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # never two trainings at once on this machine
        if not model.exists():
            subprocess.run(
                [
                    *(str(RASA), "train", "--out", str(CACHE)),
                    *("--fixed-model-name", model.name.removesuffix(".tar.gz")),
                ],
                cwd=folder,
                env={**os.environ, **env},
                check=True,
            )
    return model


def commands(folder: Path, model: Path, rasa_port: int, action_port: int) -> dict[str, list[str]]:
    """The floor's two servers: `rasa run` and rasa-sdk's own `python -m rasa_sdk`."""
    return {
        "rasa": [
            *(str(RASA), "run", "--model", str(model), "--port", str(rasa_port)),
            *("--endpoints", str(folder / "endpoints.yml"), "--interface", "127.0.0.1"),
        ],
        "actions": [
            *(str(ROOT / ".venv" / "bin" / "python"), "-m", "rasa_sdk"),
            *("--actions", "actions", "--port", str(action_port)),
        ],
    }
