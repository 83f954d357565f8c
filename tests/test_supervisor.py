"""scripts/supervisor.py: a service that stops during start-up is reported with its log's tail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import supervisor  # scripts/supervisor.py


def test_a_service_that_stops_at_start_up_shows_its_last_log_lines(tmp_path):
    code = "import sys; print('regel 1'); print('poort bezet: 5005', file=sys.stderr); sys.exit(0)"
    service = supervisor.Service(
        name="kapot",
        command=[sys.executable, "-c", code],
        port=supervisor.free_port(),
        health_url="tcp://127.0.0.1:1",
        log_path=tmp_path / "logs" / "kapot.log",
    )
    supervisor.start(service, {})
    service.process.wait(timeout=30)
    with pytest.raises(RuntimeError) as error:
        supervisor.wait_healthy([service], timeout=30)
    message = str(error.value)
    assert "kapot is gestopt (exitcode 0)" in message
    assert "poort bezet: 5005" in message and "regel 1" in message
