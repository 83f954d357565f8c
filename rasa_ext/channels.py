"""REST channel for the Methodewijzer, loaded through bot/credentials.yml.

Importing this module also makes custom-action failures visible to users: Rasa 3.6 waits up
to 5 minutes for the action server and then only logs the error, leaving the user without an
answer. Here the wait is bounded (ACTION_SERVER_TIMEOUT, seconds) and a failure yields one short
Dutch apology, after which the assistant waits for the user again.
"""

from __future__ import annotations

import logging
import os

from rasa.core.actions import action as rasa_action
from rasa.core.channels.rest import RestInput
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, FollowupAction

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, er ging bij mij iets mis en ik kan je vraag nu niet beantwoorden. "
    "Probeer het over een paar minuten opnieuw."
)
ACTION_TIMEOUT = float(os.environ.get("ACTION_SERVER_TIMEOUT", "20"))

# RemoteAction.run passes this module constant as the per-request timeout.
rasa_action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT
_original_run = rasa_action.RemoteAction.run


async def _run_or_apologise(self, output_channel, nlg, tracker, domain):
    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except rasa_action.ActionExecutionRejection:
        raise  # a form rejecting input is normal dialogue flow
    except Exception:  # includes asyncio.TimeoutError and connection errors
        logger.exception("Custom action '%s' failed; apologising to the user.", self.name())
        # End the turn: otherwise the policies predict the failing action again (up to 10x).
        return [BotUttered(text=APOLOGY), FollowupAction(ACTION_LISTEN_NAME)]


if getattr(rasa_action.RemoteAction.run, "__name__", "") != "_run_or_apologise":
    rasa_action.RemoteAction.run = _run_or_apologise


class MethodewijzerRestInput(RestInput):
    """The standard REST channel at /webhooks/rest/webhook, with the patch above active."""

    @classmethod
    def name(cls) -> str:
        return "rest"
