"""rasa_ext/action_validation.py: the prepared validator accepts and refuses what Rasa's does."""

from __future__ import annotations

import json

from rasa_probe import rasa_probe

PROBE = """
import json, time
import jsonschema
from rasa.core.actions.action import RemoteAction
original = RemoteAction._validate_action_result
from rasa_ext import action_validation
action_validation.install()
action = RemoteAction("action_x", None)
cases = [
    {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hoi"}]},
    {"events": [{"event": "bot", "text": "x"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": "not a list", "events": []},
]
out = []
for case in cases:
    results = []
    for method in (original, RemoteAction._validate_action_result):
        try:
            results.append(["ok", method(action, case)])
        except jsonschema.ValidationError as e:
            results.append(["error", e.message])
    out.append(results)
timings = []
for method in (original, RemoteAction._validate_action_result):
    t0 = time.perf_counter()
    for _ in range(20):
        method(action, cases[0])
    timings.append((time.perf_counter() - t0) / 20 * 1000)
print(json.dumps({"cases": out, "ms": timings}))
"""


def test_prepared_validator_gives_rasas_answers() -> None:
    report = json.loads(rasa_probe(PROBE))
    for rasas, ours in report["cases"]:
        assert ours == rasas
    kinds = [rasas[0] for rasas, _ in report["cases"]]
    assert kinds == ["ok", "ok", "error", "error", "error"]
    assert all("Failed to validate Action server response" in r[1] for r, _ in report["cases"][2:])
    print(
        f"validation per response: Rasa {report['ms'][0]:.1f} ms, prepared {report['ms'][1]:.1f} ms"
    )
