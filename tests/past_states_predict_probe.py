"""Run in the Rasa venv (tests/test_past_states.py): the trained model's policy ensemble predicts
the same with rasa_ext's incremental past states (rasa_ext/policy_states.install()) as with Rasa's
own computation.

Input on stdin (JSON): {"db": path of a tracker DB or null, "limit": events per conversation,
"senders"/"others": which DB conversations (tests/past_states_probe.py ``chosen``)}.
Each training tracker (stories and rules) and each conversation in the DB is rebuilt event by
event on one tracker object (as the hot tracker store keeps it); after every user message and
every action except ``action_listen`` the next action is predicted once patched and once with
Rasa's own code on the same tracker. Prints one JSON line: predictions compared, differences.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from past_states_probe import chosen, db_event_lists, training_event_lists
from rasa.core.agent import Agent
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import applied_events, policy_states

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL_PAST_STATES = DialogueStateTracker.past_states


def predict(agent: Agent, tracker: DialogueStateTracker, patched: bool) -> tuple:
    if patched:
        policy_states.install()
    else:
        applied_events.uninstall()
        DialogueStateTracker.past_states = ORIGINAL_PAST_STATES
    followup = tracker.followup_action
    try:
        prediction = agent.processor._predict_next_with_tracker(tracker)  # type: ignore[union-attr]
    finally:
        tracker.followup_action = followup
    return (
        prediction.policy_name,
        prediction.max_confidence_index,
        [round(p, 6) for p in prediction.probabilities],
    )


def main() -> None:
    options = json.loads(sys.stdin.read() or "{}")
    agent = Agent.load(str(ROOT / "models" / "methodewijzer.tar.gz"))
    domain = agent.domain
    assert domain is not None
    limit = int(options.get("limit", 200))
    lists = training_event_lists(domain, 0)
    if options.get("db"):
        lists += chosen(db_event_lists(options["db"]), options)
    compared, differences = 0, []
    for sender, events in lists:
        tracker = DialogueStateTracker(sender, domain.slots)
        for event in events[:limit]:
            tracker.update(event)
            is_action = isinstance(event, ActionExecuted)
            if isinstance(event, UserUttered) or (
                is_action and event.action_name != ACTION_LISTEN_NAME
            ):
                patched = predict(agent, tracker, patched=True)
                original = predict(agent, tracker, patched=False)
                compared += 1
                if patched != original and len(differences) < 5:
                    differences.append(
                        f"{sender}@{len(tracker.events)}: {patched[:2]} {original[:2]}"
                    )
    print(json.dumps({"compared": compared, "differences": differences}))


if __name__ == "__main__":
    main()
