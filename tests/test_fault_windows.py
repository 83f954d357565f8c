"""scripts/load/fault.py: which messages count in the minute after a kill, and which outside."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "scripts" / "load"))
import fault  # noqa: E402  scripts/load/fault.py


def request(start: float, ms: float, error: str | None = None) -> dict:
    return {"start": start, "ms": ms, "error": error, "kind": "afsluiting"}


def test_a_message_under_way_at_the_kill_counts_in_that_kills_minute():
    windows = [(100.0, 160.0, "rasa-1"), (300.0, 360.0, "action-1")]
    lost = request(99.7, 70_300, "leeg antwoord")  # sent 0.3 s before the kill, failed after it
    before = request(90.0, 500)  # answered before the kill
    during = request(130.0, 800)
    late = request(159.0, 3000)  # sent in the minute, answered after it: still the kill's
    between = request(200.0, 900, "verontschuldiging")  # between the windows: outside
    second = request(299.0, 2000)
    after = request(400.0, 300)
    inside, outside = fault.split_by_windows(
        [lost, before, during, late, between, second, after], windows
    )
    assert inside == {"rasa-1": [lost, during, late], "action-1": [second]}
    assert outside == [before, between, after]
