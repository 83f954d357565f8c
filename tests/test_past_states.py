"""rasa_ext/applied_events.py and rasa_ext/past_states.py (issue 15): the incremental applied
events and past states are exactly Rasa's, at every prefix of real trackers, and the trained
policies predict the same with them. The comparisons run in the Rasa venv
(tests/past_states_probe.py, tests/past_states_predict_probe.py)."""

from __future__ import annotations

import json

import httpx
from rasa_probe import rasa_probe

RUN = 'import runpy, sys; sys.path.insert(0, "tests"); runpy.run_path("tests/{}", run_name="__main__")'

# a long conversation through the running services: questions, the plan form (happy path and
# interruptions inside it), a method chosen with a button payload, thanks; twice
CONVERSATION = [
    "hallo",
    "welke methode voor winkeldiefstal?",
    "wat is KVO?",
    "ik wil een plan van aanpak maken",
    "er is veel winkeldiefstal in het winkelcentrum",
    "wat is het verschil tussen KVO en KVU?",
    "winkeldiefstal is het belangrijkste",
    "de politie surveilleert af en toe",
    "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
    '/inform{"method": "kvo"}',
    "aangiftes bij de politie, evaluatie elk half jaar",
    "bedankt",
]


def test_training_trackers_match_rasa_at_every_prefix() -> None:
    report = json.loads(
        rasa_probe(RUN.format("past_states_probe.py"), stdin=json.dumps({"stories": True}))
    )
    assert report["training"] > 50  # our stories and rules
    assert report["checks"] > 4 * report["events"]  # every prefix, four argument sets
    assert report["differences"] == 0, report["first"]


def test_recorded_conversations_match_rasa_and_predict_the_same(stack) -> None:
    with httpx.Client(timeout=120) as client:
        for message in CONVERSATION * 2:
            response = client.post(stack["url"], json={"sender": "flat-1", "message": message})
            response.raise_for_status()
    db = str(stack["data"] / "rasa" / "tracker.db")
    report = json.loads(
        rasa_probe(
            RUN.format("past_states_probe.py"),
            stdin=json.dumps({"stories": False, "db": db, "senders": ["flat-1"], "others": 8}),
            timeout=900,
        )
    )
    assert report["events"] > 100  # at least our conversation, with its forms
    assert report["differences"] == 0, report["first"]
    predicted = json.loads(
        rasa_probe(
            RUN.format("past_states_predict_probe.py"),
            stdin=json.dumps({"db": db, "limit": 200, "senders": ["flat-1"], "others": 2}),
            timeout=900,
        )
    )
    assert predicted["compared"] > 100
    assert predicted["differences"] == [], predicted["differences"]
