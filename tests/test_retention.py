"""Personal data does not linger: refused texts are redacted, old conversations are purged,
databases are private, and the action server only answers the Rasa server (unit level)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.refusal import refuse_text
from knowledge import __main__ as cli
from knowledge.redaction import REDACT_KEY, REDACTED, marker_without_user, redact_events
from knowledge.retention import DAY, private_sqlite, purge_conversations, retention_days
from rasa_sdk_plugins import action_token

BSN_TEXT = "het gaat om meneer de Vries, bsn 123456782, in de Dorpsstraat"


def _turn(text: str, marker: bool) -> list[dict]:
    bot = {"event": "bot", "text": "Dat lijkt persoonsgegevens.", "metadata": {}}
    if marker:
        bot["metadata"] = {REDACT_KEY: True}
    return [
        {
            "event": "user",
            "text": text,
            "parse_data": {
                "text": text,
                "intent": {"name": "inform"},
                "entities": [{"entity": "number", "value": "123456782"}],
            },
        },
        {"event": "slot", "name": "plan_problem", "value": " ".join(text.split())},
        {"event": "action", "name": "validate_planner_form"},
        bot,
        {"event": "slot", "name": "plan_problem", "value": None},
        {"event": "slot", "name": "requested_slot", "value": "plan_problem"},
    ]


def test_a_marked_turn_loses_its_text_and_the_slot_that_held_it() -> None:
    events = _turn("overlast bij het station", False) + _turn(BSN_TEXT, True)
    redacted = redact_events(events)
    dumped = json.dumps(redacted[6:])
    assert "123456782" not in dumped and "de Vries" not in dumped
    user = redacted[6]
    assert user["text"] == REDACTED and user["parse_data"]["text"] == REDACTED
    assert user["parse_data"]["intent"] == {"name": "inform"}  # the dialogue can go on
    assert redacted[7]["value"] == REDACTED
    assert redacted[11]["value"] == "plan_problem"  # other slots are kept
    assert redacted[:6] == events[:6]  # the unmarked turn is untouched
    assert events[6]["text"] == BSN_TEXT  # the input is not changed in place


def test_a_marker_without_its_user_event_is_recognised() -> None:
    turn = _turn(BSN_TEXT, True)
    assert marker_without_user(turn[1:])
    assert not marker_without_user(turn)


def test_refuse_text_marks_only_personal_data() -> None:
    dispatcher = CollectingDispatcher()
    refuse_text(dispatcher, BSN_TEXT, "Niet opgeslagen.")
    refuse_text(dispatcher, "te kort", "Kun je het iets uitgebreider zeggen?")
    marked, plain = dispatcher.messages
    assert marked[REDACT_KEY] is True and marked["text"] == "Niet opgeslagen."
    assert REDACT_KEY not in plain


def _tracker_db(path: Path, rows: list[tuple[str, float]]) -> str:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
        "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
        "action_name VARCHAR(255), data TEXT)"
    )
    connection.executemany(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, '{}')",
        rows,
    )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def test_purge_removes_whole_conversations_older_than_the_limit(tmp_path: Path) -> None:
    now = time.time()
    url = _tracker_db(
        tmp_path / "tracker.db",
        [
            ("web-old", now - 100 * DAY),
            ("web-old", now - 95 * DAY),
            ("web-active", now - 200 * DAY),  # started long ago, used yesterday: kept
            ("web-active", now - 1 * DAY),
            ("telegram-new", now - 10),
        ],
    )
    result = purge_conversations(url, 90, now=now)
    assert (result.conversations, result.events) == (1, 2)
    left = sqlite3.connect(tmp_path / "tracker.db").execute("SELECT sender_id FROM events")
    assert sorted({row[0] for row in left}) == ["telegram-new", "web-active"]
    assert purge_conversations(url, 90, now=now).events == 0


def test_purge_command_reads_the_settings(tmp_path: Path, monkeypatch, capsys) -> None:
    db = tmp_path / "tracker.db"
    _tracker_db(db, [("web-a", time.time() - 40 * DAY), ("web-b", time.time())])
    monkeypatch.setenv("RASA_TRACKER_DB", str(db))
    monkeypatch.delenv("METHODEWIJZER_TRACKER_URL", raising=False)
    monkeypatch.setenv("METHODEWIJZER_RETENTION_DAYS", "30")
    assert cli.main(["purge"]) == 0
    assert "ouder dan 30 dagen verwijderd: 1" in capsys.readouterr().out
    monkeypatch.setenv("METHODEWIJZER_RETENTION_DAYS", "nooit")
    assert cli.main(["purge"]) == 2
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "none.db"))
    monkeypatch.delenv("METHODEWIJZER_RETENTION_DAYS")
    assert cli.main(["purge"]) == 0
    assert not (tmp_path / "none.db").exists()


def test_retention_default_and_invalid_values() -> None:
    assert retention_days({}) == 90
    assert retention_days({"METHODEWIJZER_RETENTION_DAYS": "7"}) == 7
    for wrong in ("0", "-1", "abc"):
        with pytest.raises(ValueError):
            retention_days({"METHODEWIJZER_RETENTION_DAYS": wrong})


def test_sqlite_databases_are_made_private(tmp_path: Path) -> None:
    path = tmp_path / "plans.sqlite"
    path.write_bytes(b"")
    path.chmod(0o644)
    private_sqlite(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    private_sqlite("postgresql://localhost/plans")  # nothing to do, no error


class _Request:
    def __init__(self, path: str, token: str | None) -> None:
        self.path, self.method = path, "POST"
        self.args = {"token": token} if token is not None else {}


@pytest.mark.parametrize(
    ("path", "token", "allowed"),
    [
        ("/webhook", "geheim", True),
        ("/webhook", None, False),
        ("/webhook", "fout", False),
        ("/webhook", "", False),
        ("/actions", None, False),
        ("/health", None, True),
    ],
)
def test_action_server_token_check(monkeypatch, path: str, token: str | None, allowed: bool):
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "geheim")
    response = asyncio.run(action_token.check_token(_Request(path, token)))
    assert (response is None) == allowed
    if not allowed:
        assert response.status == 401


def test_without_a_configured_token_nobody_is_allowed(monkeypatch) -> None:
    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    response = asyncio.run(action_token.check_token(_Request("/webhook", "")))
    assert response.status == 401


def test_rasa_tracker_store_redacts_and_keeps_the_file_private(tmp_path: Path) -> None:
    """The real store in the Rasa environment (bot/endpoints.yml names it)."""
    root = Path(__file__).resolve().parents[1]
    output = subprocess.run(
        [
            *(str(root / ".venv-rasa/bin/python"), str(root / "tests/rasa_tracker_store_check.py")),
            *(str(tmp_path / "tracker.db"), BSN_TEXT),
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    assert result["mode"] == 0o600
    assert "123456782" not in json.dumps(result["rows"]) and "Vries" not in output
    kinds = [(row["event"], row.get("text"), row.get("value")) for row in result["rows"]]
    assert kinds[:2] == [("user", REDACTED, None), ("slot", None, REDACTED)]
    assert ("user", "overlast bij het station", None) in kinds  # other turns are kept
    assert result["retrieved"] == len(result["rows"])


LOG_CHECK = """
from rasa.utils.log_utils import configure_structlog
configure_structlog()
import structlog
log = structlog.get_logger()
log.warning("message.parsing.failed", user_text="/vooraf{")
import rasa_ext.tracker_store  # installs the log filter, as `rasa run` does via endpoints.yml
log.warning("message.parsing.failed", user_text="/bsn 123456782{")
"""


def test_rasa_logs_keep_no_user_text() -> None:
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [str(root / ".venv-rasa/bin/python"), "-c", LOG_CHECK],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    output = result.stdout + result.stderr
    assert "/vooraf{" in output  # Rasa logs the text by itself (the reason for the filter)
    assert "123456782" not in output and output.count(REDACTED) == 1
