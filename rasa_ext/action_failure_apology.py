"""Custom-action failures become one short Dutch apology instead of silence.

Rasa 3.6 waits up to 5 minutes for the action server and then only logs the error, leaving the
user without an answer. ``install()`` patches ``RemoteAction.run``: the wait is bounded
(ACTION_SERVER_TIMEOUT, seconds) and a failure yields one apology, after which the assistant
waits for the user again. rasa_ext/rest_channel.py calls ``install()``; nothing is patched by
merely importing this module.
"""

from __future__ import annotations

import logging
import os

from rasa.core.actions import action as rasa_action
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import BotUttered, FollowupAction, SlotSet, UserUttered

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, er ging bij mij iets mis en ik kan je vraag nu niet beantwoorden. "
    "Probeer het over een paar minuten opnieuw."
)
ACTION_TIMEOUT = float(os.environ.get("ACTION_SERVER_TIMEOUT", "20"))

# RemoteAction.run passes rasa_action.DEFAULT_REQUEST_TIMEOUT as the per-request timeout.
_original_run = rasa_action.RemoteAction.run


def _undo_this_turn(tracker) -> list:
    """A form validation that failed validated nothing, but Rasa keeps a slot its validation
    does not answer for: this turn's slot values go back to what they were, so no unchecked text
    is kept and the same question is still open when the action server is back."""
    events = list(tracker.events)
    users = [i for i, event in enumerate(events) if isinstance(event, UserUttered)]
    if not users:
        return []
    before = {e.key: e.value for e in events[: users[-1]] if isinstance(e, SlotSet)}
    changed = {
        e.key for e in events[users[-1] :] if isinstance(e, SlotSet) and e.key != REQUESTED_SLOT
    }
    return [SlotSet(key, before.get(key)) for key in sorted(changed)]


async def _run_or_apologise(self, output_channel, nlg, tracker, domain):
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except rasa_action.ActionExecutionRejection:
        raise  # a form rejecting input is normal dialogue flow
    except Exception as exc:  # includes asyncio.TimeoutError and connection errors
        # Name and type only: the exception chain can hold the whole tracker (user texts).
        logger.error(
            "Custom action '%s' failed (%s); apologising to the user.",
            self.name(),
            type(exc).__name__,
        )
        undo = _undo_this_turn(tracker) if self.name().startswith("validate_") else []
        # End the turn: otherwise the policies predict the failing action again (up to 10x).
        return [BotUttered(text=APOLOGY), *undo, FollowupAction(ACTION_LISTEN_NAME)]


def install() -> None:
    """Bound the action-server wait and apologise on failure (once; calling again is harmless)."""
    rasa_action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT
    if getattr(rasa_action.RemoteAction.run, "__name__", "") != "_run_or_apologise":
        rasa_action.RemoteAction.run = _run_or_apologise
