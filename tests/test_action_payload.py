"""rasa_ext/action_payload.py: the action server gets the recent turns, everything else as Rasa."""

from __future__ import annotations

import json

from rasa_probe import rasa_probe

PROBE = """
import json
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
original = RemoteAction._action_call_format
from rasa_ext import action_payload
action_payload.install()
domain = Domain.from_dict({"intents": ["inform"], "actions": ["action_x"],
    "slots": {"n": {"type": "float", "mappings": [{"type": "custom"}]}}})
action = RemoteAction("action_x", EndpointConfig("http://127.0.0.1:1/webhook"))
out = {}
for turns in (3, 30):
    tracker = DialogueStateTracker("web-x", domain.slots)
    for i in range(turns):
        tracker.update(UserUttered(f"vraag {i}", {"name": "inform"}))
        tracker.update(SlotSet("n", float(i)))
        tracker.update(ActionExecuted("action_x"))
        tracker.update(BotUttered(f"antwoord {i}"))
        tracker.update(ActionExecuted("action_listen"))
    out[turns] = [original(action, tracker, domain), RemoteAction._action_call_format(action, tracker, domain)]
print(json.dumps(out))
"""


def test_the_payload_keeps_the_last_three_turns_and_everything_else() -> None:
    report = json.loads(rasa_probe(PROBE))
    rasas, ours = report["3"]
    assert ours == rasas  # a short conversation is sent whole
    rasas, ours = report["30"]
    events = ours["tracker"].pop("events")
    assert events == rasas["tracker"].pop("events")[-15:]  # three turns of five events
    assert events[0] == {**events[0], "event": "user", "text": "vraag 27"}
    assert ours == rasas  # slots, latest message, form, domain: unchanged
