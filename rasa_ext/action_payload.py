"""The action server gets the recent turns of the conversation, not every event of the session.

Rasa 3.6 sends the whole tracker to the action server on every custom-action call
(``RemoteAction._action_call_format``: ``tracker.current_state(EventVerbosity.ALL)``). A form
turn calls several actions, so a long conversation pays for encoding and decoding all of its
events several times per turn; at turn 250 that was almost half of the action server's time
(docs/performance.md). Our actions read only the latest turns from ``tracker.events``
(knowledge.understanding.answered_question: the last bot answer and the user message before it,
so the previous turn; rasa-sdk's form validation reads the events since the last user message).
Slots, the latest message and the active form are sent in full as before. Three turns: the two
that are read and one to spare (ten: 32 KB per call on average under the bench load).

``install()`` makes the call carry the events from the ``KEEP_USER_TURNS``-th last user message
on (all events when the conversation is shorter).
"""

from __future__ import annotations

from typing import Any

import rasa
from rasa.core.actions import action as rasa_action
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

KEEP_USER_TURNS = 3


def recent_events(tracker: DialogueStateTracker, turns: int = KEEP_USER_TURNS) -> list[Any]:
    """The events from the ``turns``-th last user message to the end."""
    kept: list[Any] = []
    users = 0
    for event in reversed(tracker.events):
        kept.append(event)
        if isinstance(event, UserUttered):
            users += 1
            if users == turns:
                break
    kept.reverse()
    return kept


def _action_call_format(self: Any, tracker: DialogueStateTracker, domain: Any) -> dict[str, Any]:
    """RemoteAction._action_call_format of Rasa 3.6.21, with the recent events only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker)]
    result = {
        "next_action": self._name,
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        result["domain"] = domain.as_dict()
    return result


def install() -> None:
    """Send the recent turns only (once; calling again is harmless)."""
    rasa_action.RemoteAction._action_call_format = _action_call_format
