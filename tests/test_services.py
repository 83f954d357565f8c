"""The services as `make run` runs them (scripts/serve.py supervising real processes).

One supervised stack for this module, in order: bound interfaces, the action-server token,
private databases without refused texts, crashes of the action server and of the Rasa server
in the middle of a planner conversation, and a shutdown by two SIGTERMs in a row. Timings
are printed (the report numbers); the limits asserted are the issue's (3 s, 60 s, 15 s).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, _load_serve, stack_environ
from rasa_probe import rasa_probe

pytestmark = pytest.mark.e2e

APOLOGY = "ging bij mij iets mis"
UNREACHABLE = "niet bereikbaar"
BSN_ANSWER = "het gaat om meneer Jansen met bsn 123456782, hij woont in de Dorpsstraat 4"


class Supervised:
    """scripts/serve.py in its own process group, its output collected in a thread."""

    def __init__(self, tmp: Path) -> None:
        serve = _load_serve()
        self.ports = {k: serve.free_port() for k in ("RASA_PORT", "ACTION_PORT", "WEB_PORT")}
        self.data = tmp
        environ = stack_environ(serve, self.ports, tmp)
        environ["METHODEWIJZER_RATE_LIMIT"] = "1000"
        self.process = subprocess.Popen(
            [str(serve.PYTHON), "scripts/serve.py", "--no-dotenv", "--timeout", "600"],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def wait_for(self, text: str, timeout: float, after: int = 0) -> float:
        start = time.monotonic()
        while text not in "".join(self.lines[after:]):
            assert self.process.poll() is None, self.output[-3000:]
            assert time.monotonic() - start < timeout, f"'{text}' not seen:\n{self.output[-3000:]}"
            time.sleep(0.2)
        return time.monotonic() - start

    def service_pid(self, marker: str) -> int:
        """The pid of serve.py's child whose command line contains ``marker``."""
        for pid in descendants(self.process.pid):
            if marker in cmdline(pid) and parent(pid) == self.process.pid:
                return pid
        raise AssertionError(f"no service '{marker}' under serve.py")


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def descendants(root: int) -> set[int]:
    found, frontier = set(), {root}
    pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    while frontier:
        frontier = {p for p in pids if parent(p) in frontier} - found
        found |= frontier
    return found


def listening(port: int) -> list[str]:
    """Local addresses listening on ``port`` (from `ss`)."""
    out = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=True).stdout
    return [f[3] for f in (line.split() for line in out.splitlines()) if f[3].endswith(f":{port}")]


class WebChat:
    """The web page's calls: the server issues the identity cookie (kept by the client)."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=90)

    def post(self, message: str) -> httpx.Response:
        return self.client.post("/api/chat", json={"message": message})

    def text(self, message: str) -> str:
        response = self.post(message)
        assert response.status_code == 200, response.text
        return "\n".join(m.get("text") or "" for m in response.json())


@pytest.fixture(scope="module")
def supervised(tmp_path_factory):
    stack = Supervised(tmp_path_factory.mktemp("supervised"))
    try:
        stack.wait_for("De Methodewijzer draait", timeout=660)
        yield stack
    finally:
        if stack.process.poll() is None:
            os.killpg(stack.process.pid, signal.SIGTERM)
            try:
                stack.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(stack.process.pid, signal.SIGKILL)
        for pid in descendants(stack.process.pid):
            os.kill(pid, signal.SIGKILL)


def test_rasa_and_action_server_listen_on_loopback_only(supervised) -> None:
    for name in ("RASA_PORT", "ACTION_PORT"):
        addresses = listening(supervised.ports[name])
        assert addresses and all(a.startswith("127.0.0.1:") for a in addresses), (name, addresses)


def test_action_server_refuses_calls_without_the_token(supervised) -> None:
    body = {"next_action": "action_show_plan", "sender_id": "web-x", "tracker": {}, "domain": {}}
    webhook = supervised.url("ACTION_PORT", "/webhook")
    assert httpx.post(webhook, json=body, timeout=10).status_code == 401
    assert httpx.post(webhook, params={"token": "raden"}, json=body, timeout=10).status_code == 401
    assert httpx.get(supervised.url("ACTION_PORT", "/actions"), timeout=10).status_code == 401
    assert httpx.get(supervised.url("ACTION_PORT", "/health"), timeout=10).status_code == 200
    # Rasa itself has the token: its calls to the action server work
    assert "Keurmerk Veilig Ondernemen" in WebChat(supervised.url("WEB_PORT", "")).text(
        "welke methode voor winkeldiefstal?"
    )


def test_refused_text_is_not_kept_and_databases_are_private(supervised) -> None:
    chat = WebChat(supervised.url("WEB_PORT", ""))
    assert "Vraag 1 van 6" in chat.text("ik wil een plan van aanpak maken")
    refused = chat.text(BSN_ANSWER)
    assert "sla ik niet op" in refused, refused
    assert "Vraag 2 van 6" in chat.text("drugsoverlast rond het station in de avond")
    tracker = supervised.data / "rasa" / "tracker.db"
    rows = sqlite3.connect(tracker).execute("SELECT data FROM events").fetchall()
    stored = "\n".join(row[0] for row in rows)
    assert "drugsoverlast rond het station" in stored  # ordinary answers are kept
    assert "123456782" not in stored and "Jansen" not in stored and "[verwijderd]" in stored
    databases = [p for p in supervised.data.rglob("*") if p.suffix in (".db", ".sqlite")]
    assert tracker in databases and len(databases) >= 2, databases  # tracker and plan store
    for path in databases:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert "123456782" not in supervised.output  # nor in the logs


def test_crashes_of_both_servers_mid_conversation(supervised) -> None:
    chat = WebChat(supervised.url("WEB_PORT", ""))
    assert "Vraag 1 van 6" in chat.text("ik wil een plan van aanpak maken")
    assert "Vraag 2 van 6" in chat.text("veel winkeldiefstal in het winkelcentrum")

    # 1. the action server dies (its whole process group, workers included)
    mark = len(supervised.lines)
    killed = time.monotonic()
    os.killpg(supervised.service_pid("action_server"), signal.SIGKILL)
    start = time.monotonic()
    answer = chat.text("winkeldiefstal is het belangrijkste")
    apology_after = time.monotonic() - start
    assert APOLOGY in answer and apology_after < 3, (answer, apology_after)
    supervised.wait_for("actieserver werkt weer", timeout=60, after=mark)
    action_back = time.monotonic() - killed
    assert "Vraag 3 van 6" in chat.text("winkeldiefstal is het belangrijkste")  # same step

    # 2. the Rasa server dies: the page says so in Dutch at once, the dialogue resumes after
    mark = len(supervised.lines)
    killed = time.monotonic()
    os.killpg(supervised.service_pid("rasa run"), signal.SIGKILL)
    start = time.monotonic()
    down = chat.post("de politie surveilleert af en toe")
    unreachable_after = time.monotonic() - start
    assert down.status_code == 503 and UNREACHABLE in down.json()["error"]
    assert unreachable_after < 3, unreachable_after
    supervised.wait_for("Rasa-server werkt weer", timeout=400, after=mark)
    rasa_back = time.monotonic() - killed
    assert "Vraag 4 van 6" in chat.text("de politie surveilleert af en toe")  # same step
    print(
        f"\napology {apology_after:.2f} s, action server back {action_back:.1f} s; "
        f"'niet bereikbaar' {unreachable_after:.2f} s, Rasa back {rasa_back:.1f} s"
    )
    restarts = re.findall(r"\[serve\] (\S+) is onverwacht gestopt", supervised.output)
    assert sorted(restarts) == ["Rasa-server", "actieserver"]


def test_two_sigterms_stop_everything_and_free_the_ports(supervised) -> None:
    children = descendants(supervised.process.pid)
    assert len(children) >= 3
    start = time.monotonic()
    supervised.process.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    supervised.process.send_signal(signal.SIGTERM)
    supervised.process.wait(timeout=30)
    while any(listening(port) for port in supervised.ports.values()):
        assert time.monotonic() - start < 15, supervised.output[-2000:]
        time.sleep(0.2)
    stopped_after = time.monotonic() - start
    print(f"\nshutdown after two SIGTERMs: {stopped_after:.1f} s")
    assert supervised.process.returncode == 0
    assert "al aan het stoppen" in supervised.output
    assert [pid for pid in children if alive(pid)] == []
    assert stopped_after < 15


UNDO_CHECK = """
import json
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_ext.action_failure_apology import _undo_this_turn
events = [UserUttered("a"), SlotSet("plan_problem", "p"), SlotSet("requested_slot", "plan_priorities"),
          ActionExecuted("action_listen"), UserUttered("b"), SlotSet("plan_priorities", "b"),
          SlotSet("plan_problem", "b"), SlotSet("requested_slot", "plan_priorities")]
undo = _undo_this_turn(DialogueStateTracker.from_events("x", events))
print(json.dumps([[e.key, e.value] for e in undo]))
"""


def test_a_failed_form_validation_keeps_no_unchecked_slot_value() -> None:
    """Rasa keeps slots its failed validation did not answer for; the apology undoes them."""
    assert rasa_probe(UNDO_CHECK) == '[["plan_priorities", null], ["plan_problem", "p"]]'


def test_supervisor_restarts_with_back_off_and_keeps_the_others(capsys) -> None:
    """A service that keeps dying is restarted after 1, 2, 4 s; a healthy one is left alone."""
    serve = _load_serve()
    dying = serve.Service(
        "proef", [sys.executable, "-c", "import time; time.sleep(0.2)"], None, None
    )
    steady = serve.Service(
        "rustig", [sys.executable, "-c", "import time; time.sleep(60)"], None, None
    )
    env = dict(os.environ)
    for service in (dying, steady):
        serve.start(service, env)
    steady_pid = steady.process.pid
    try:
        deadline = time.monotonic() + 9
        while dying.restarts < 3 and time.monotonic() < deadline:
            serve.supervise([dying, steady], env)
            time.sleep(0.05)
    finally:
        serve.stop([dying, steady], grace=2)
    log = capsys.readouterr().err
    assert dying.restarts == 3, log
    delays = re.findall(
        r"proef is onverwacht gestopt \(exitcode 0\); ik start hem over (\d+) s", log
    )
    assert delays == ["1", "2", "4"], log
    assert steady.process.pid == steady_pid and "rustig" not in log
