"""End to end over REST: real Rasa 3.6.21 server + real action server, started here.

The services are started with the same code as `make run` (scripts/serve.py) on free ports
and a temporary data directory, and stopped at the end.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def _load_serve():
    spec = importlib.util.spec_from_file_location("serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["serve"] = module  # dataclasses need the module to be registered
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    serve = _load_serve()
    assert serve.MODEL.exists(), "run `make setup` first (make test does)"
    data = tmp_path_factory.mktemp("data")
    ports = {"RASA_PORT": _free_port(), "ACTION_PORT": _free_port(), "WEB_PORT": _free_port()}
    saved = {
        k: os.environ.get(k) for k in [*ports, "METHODEWIJZER_DATA_DIR", "METHODEWIJZER_PLANS_DIR"]
    }
    os.environ.update({k: str(v) for k, v in ports.items()})
    os.environ["METHODEWIJZER_DATA_DIR"] = str(data)
    os.environ["METHODEWIJZER_PLANS_DIR"] = str(data / "plans")
    settings = serve.settings()
    env = serve.common_env(settings)
    services = serve.services(settings)
    try:
        for service in services:
            serve.start(service, env)
        serve.wait_healthy(services, timeout=240)
        yield {
            "url": f"http://127.0.0.1:{ports['RASA_PORT']}/webhooks/rest/webhook",
            "web": f"http://127.0.0.1:{ports['WEB_PORT']}",
            "services": services,
            "data": data,
        }
    finally:
        serve.stop(services)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Chat:
    def __init__(self, url: str):
        self.url = url
        self.sender = f"test-{uuid.uuid4().hex[:8]}"
        self.latencies: list[float] = []

    def say(self, text: str) -> list[dict]:
        start = time.perf_counter()
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        self.latencies.append(time.perf_counter() - start)
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message))


def test_short_dutch_conversation(stack):
    chat = Chat(stack["url"])
    assert "Methodewijzer" in chat.text("hallo")
    assert "Dit kan ik voor je doen" in chat.text("wat kun je?")
    assert "Keurmerk Veilig Ondernemen" in chat.text("welke methode voor winkeldiefstal?")
    answer = chat.text("wat is KVO?")
    assert "hercertificering" in answer and "Partners:" in answer
    assert "niet mee helpen" in chat.text("hoe vraag ik een paspoort aan?")
    assert "Tot ziens" in chat.text("doei")


def test_buttons_are_sent_with_payloads(stack):
    chat = Chat(stack["url"])
    replies = chat.say("welke methode voor winkeldiefstal?")
    buttons = [b for m in replies for b in m.get("buttons", [])]
    assert any(b["payload"] == '/explain_method{"method": "kvo"}' for b in buttons)
    answer = "\n".join(m.get("text", "") for m in chat.say('/explain_method{"method": "kvo"}'))
    assert answer.startswith("Keurmerk Veilig Ondernemen")


def test_six_step_plan_ends_in_a_docx_with_the_goal(stack):
    chat = Chat(stack["url"])
    goal = (
        "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025."
    )
    assert "Vraag 1 van 6" in chat.text("ik wil een plan van aanpak maken")
    assert "Vraag 2 van 6" in chat.text(
        "er is veel winkeldiefstal in het winkelcentrum en overlast van jongeren"
    )
    assert "Vraag 3 van 6" in chat.text("winkeldiefstal is het belangrijkste")
    assert "Vraag 4 van 6" in chat.text(
        "de politie surveilleert af en toe en twee winkels hebben camera's"
    )
    # a measure is not a goal: the assistant explains and asks again
    assert "maatregel" in chat.text("we plaatsen camera's in de winkelstraat")
    # an interruption inside the form is answered, then the open question returns
    interrupted = chat.text("wat is KVU?")
    assert "Kwaliteitsmeter Veilig Uitgaan" in interrupted and "Vraag 4 van 6" in interrupted
    assert "Vraag 5 van 6" in chat.text(goal)
    assert "Vraag 6 van 6" in chat.text('/inform{"method": "kvo"}')
    replies = chat.say("aangiftes bij de politie en een winkeliersenquête, evaluatie elk half jaar")
    plan = next(m["custom"] for m in replies if m.get("custom", {}).get("type") == "plan")
    path = stack["data"] / "plans" / f"{plan['plan_id']}.docx"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert goal in text and "Keurmerk Veilig Ondernemen" in text
    assert plan["url"].endswith(f"/plans/{plan['plan_id']}.docx")
    download = httpx.get(f"{stack['web']}/plans/{plan['plan_id']}.docx", timeout=10)
    assert download.status_code == 200 and download.content == path.read_bytes()
    assert httpx.get(f"{stack['web']}/plans/..%2F..%2Fetc%2Fpasswd", timeout=10).status_code == 404


def test_stop_and_resume_the_plan(stack):
    chat = Chat(stack["url"])
    chat.text("ik wil een plan maken")
    chat.text("drugsoverlast rond het station")
    assert "pauze" in chat.text("stop")
    assert "Vraag 2 van 6" in chat.text("ga verder met mijn plan")
    assert "Vraag 1 van 6" in chat.text("terug")


def test_action_server_down_gives_an_apology(stack):
    action = stack["services"][0]
    os.killpg(action.process.pid, signal.SIGTERM)
    action.process.wait(timeout=20)
    chat = Chat(stack["url"])
    assert "ging bij mij iets mis" in chat.text("welke methode voor woninginbraak?")
