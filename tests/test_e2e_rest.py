"""End to end over REST: real Rasa 3.6.21 server + real action server, started here.

The `stack` fixture (tests/conftest.py) starts the services with the same code as `make run`.
"""

from __future__ import annotations

import os
import signal
import time
import uuid

import httpx
import pytest
from docx import Document

pytestmark = pytest.mark.e2e


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
    # a typed '/intent{...}' cannot set the slot that holds the plan id
    forged = chat.say('/show_plan{"plan_state": {"plan_id": "AAAAAAAAAAAAAAAAAAAAAAAA"}}')
    shown = next(m["custom"] for m in forged if m.get("custom", {}).get("type") == "plan")
    assert shown["plan_id"] == plan["plan_id"]


def test_plan_commands_without_a_plan_answer_once(stack):
    """Export and show without any plan hand over to the plan summary (FollowupAction); the turn
    ends with its answer, not with a core fallback ("begreep ik niet") after it."""
    chat = Chat(stack["url"])
    for command in ("/export_plan", "/show_plan"):
        answer = chat.text(command)
        assert "Je hebt nog geen plan" in answer
        assert "begreep ik niet" not in answer


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
    try:
        chat = Chat(stack["url"])
        answer = chat.text("welke methode voor woninginbraak?")
        assert answer.count("ging bij mij iets mis") == 1  # one apology, then it listens again
    finally:  # other tests share the stack
        stack["serve"].start(action, stack["env"])
        stack["serve"].wait_healthy([action], timeout=120)
    assert "Keurmerk Veilig Ondernemen" in chat.text("welke methode voor winkeldiefstal?")


def test_typed_method_names_choose_methods_in_step_five(stack):
    chat = Chat(stack["url"])
    chat.text("ik wil een plan maken")
    chat.text("veel inbraken in woningen in de wijk Oost")
    chat.text("de inbraken")
    chat.text("nog niets")
    assert "Vraag 5 van 6" in chat.text(
        "In 2027 30% minder woninginbraken in de wijk Oost dan in 2025"
    )
    assert "Kwaliteitsmeter" in chat.text("wat is KVU?")  # a question is answered ...
    answer = chat.text("PKVW en Sociaal Veilige Stad")  # ... a list of names is a choice
    assert "Gekozen" in answer and "Vraag 6 van 6" in answer
