"""The hot tracker cache (rasa_ext/tracker_store.py HotTrackerStore) equals a fresh read.

The store runs in the Rasa environment, so the scenario runs there
(tests/rasa_tracker_cache_check.py) against a real SQLite file, and this test checks its report.
End to end: a user whose session ends keeps their plan (it lives in the plan store).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml
from test_e2e_sharing import Chat, custom, docx_text, draft_plan

ROOT = Path(__file__).resolve().parents[1]


def run_check(db: Path) -> dict:
    output = subprocess.run(
        [
            *(str(ROOT / ".venv-rasa/bin/python"), str(ROOT / "tests/rasa_tracker_cache_check.py")),
            str(db),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_two_replicas_sharing_one_database_see_what_a_fresh_read_sees(tmp_path: Path) -> None:
    report = run_check(tmp_path / "tracker.db")
    # every step: 40 alternating turns, a failed turn (and it saved late), a redaction, a new
    # session started by the other replica, a turn in it, a restarted server, a purge
    assert report["steps"] == 47
    assert report["mismatches"] == []
    # a save knows from the cache how many events are stored: Rasa counted the session's rows
    # only for the conversation's first save, not at every turn
    assert sum(report["row_counts_after_turns"]) <= 1
    # a tracker that is not the cached one (saved after a fresh read replaced it) is counted
    assert report["failed_turn_saved_counted"]
    # the session (from SessionStarted: it and action_listen) and six events per turn
    assert report["events"] == 2 + 40 * 6
    # the turns were answered from the cache: a few full reads, not one per turn
    assert all(reads <= 3 for reads in report["full_reads_after_turns"])
    assert report["redacted_everywhere"]
    # only the latest session is read: SessionStarted, a slot, action_listen, one turn
    assert report["events_new_session"] == 3 + 6
    assert report["after_purge"] == [True, True, True]


def test_rasa_uses_the_hot_store_and_keeps_slots_into_a_new_session() -> None:
    endpoints = yaml.safe_load((ROOT / "bot/endpoints.yml").read_text(encoding="utf-8"))
    assert endpoints["tracker_store"]["type"] == "rasa_ext.tracker_store.HotTrackerStore"
    configs = [
        (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("session_config")
        for p in sorted((ROOT / "bot/domain").glob("*.yml"))
    ]
    [session] = [c for c in configs if c]  # one definition
    assert session["carry_over_slots_to_new_session"] is True  # a draft plan survives expiry
    assert 0 < session["session_expiration_time"] <= 60


@pytest.mark.e2e
def test_a_user_in_a_new_session_keeps_their_plan(stack, tmp_path: Path) -> None:
    """A session that expires runs action_session_start, as '/session_start' does: the plan
    lives in the plan store under the sender id, so it is still there."""
    owner = Chat(stack["url"], "owner")
    draft_plan(owner)
    owner.say("/session_start")
    shown = owner.say("laat het plan zien")
    content = docx_text(httpx.get(custom(shown, "plan")["url"], timeout=10).content, tmp_path)
    assert "winkeldiefstal" in content.casefold()
