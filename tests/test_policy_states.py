"""rasa_ext/policy_states.py: remembered past states are exactly what Rasa computes."""

from __future__ import annotations

import json

from rasa_probe import rasa_probe

PROBE = """
import json
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
original = DialogueStateTracker.past_states
from rasa_ext import policy_states
policy_states.install()
domain = Domain.load("bot/domain")
rule_only = {"slots": ["requested_slot"], "active_loops": ["planner_form"]}
tracker = DialogueStateTracker("web-x", domain.slots)
steps = [
    UserUttered("hallo", {"name": "greet"}), ActionExecuted("utter_greet"),
    ActionExecuted("action_listen"),
    UserUttered("plan maken", {"name": "start_plan"}), ActionExecuted("planner_form"),
    ActiveLoop("planner_form"), SlotSet("requested_slot", "plan_problem"),
    ActionExecuted("action_listen"),
    UserUttered("overlast", {"name": "inform"}), ActionExecuted("planner_form"),
    SlotSet("plan_problem", "overlast"), ActiveLoop(None), SlotSet("requested_slot", None),
    BotUttered("Dank je."), ActionExecuted("action_listen"),
]
flags = [dict(), dict(omit_unset_slots=True),
         dict(ignore_rule_only_turns=True, rule_only_data=rule_only)]
checked, hits_equal, mutated_safe = 0, True, True
for event in steps:
    tracker.update(event)
    for kwargs in flags:
        want = original(tracker, domain, **kwargs)
        first = tracker.past_states(domain, **kwargs)
        for state in first:  # a caller that changes what it got must not change the memory
            state.pop("user", None)
            for sub in state.values():
                sub.clear()
        again = tracker.past_states(domain, **kwargs)
        checked += 1
        hits_equal &= again == want
        mutated_safe &= original(tracker, domain, **kwargs) == again
print(json.dumps({"checked": checked, "equal": hits_equal, "safe": mutated_safe,
                  "states": len(tracker.past_states(domain))}))
"""


def test_remembered_states_equal_rasas_and_follow_every_new_event() -> None:
    report = json.loads(rasa_probe(PROBE))
    assert report["checked"] == 15 * 3
    assert report["equal"] and report["safe"]
    assert report["states"] > 3  # the conversation has several turns of states
