"""rasa_ext's NLU component, run in the Rasa environment (Python 3.10) as `rasa train` loads it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PROBE = """
import json, sys
from rasa_ext.shared_plan_intents import SharedPlanIntents
component = SharedPlanIntents()
print(json.dumps([component.intent_for(t) for t in json.load(sys.stdin)]))
"""
CASES = {
    "ik wil meedoen met plan K7QM-4MXZ": "join_plan",
    "hnbt93br": "join_plan",
    "de gemeente gaf me code x2b9 mkt4": "join_plan",
    "aansluiten bij ZA4-JYJ": "join_plan",
    "stap 1: wij zien op woensdag veel diefstal": "add_contribution",
    "toevoegen aan stap 3: wij surveilleren al": "add_contribution",
    "stap 3": None,
    "winkeldiefstallen Q1 2027: 42": None,
    "bel 06-12345678": None,
    "in 2026-2027 meer inbraken in de gemeente": None,
    '/join_plan{"join_code": "K7QM-4MXZ"}': None,
}


def test_join_codes_and_step_prefixes_decide_the_intent():
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", PROBE],
        input=json.dumps(list(CASES)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=180,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == list(CASES.values())
