"""The one way an action refuses a text: say why, and keep personal data out of the log.

Every refusal point (planner answers, contributions, measurements, the profile) calls
:func:`refuse_text`. When the text holds personal data, the message carries the marker of
knowledge/redaction.py; Rasa keeps it as metadata of the bot message (not shown to the user),
and the tracker store then writes "[verwijderd]" instead of the text (rasa_ext/tracker_store.py).
"""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from knowledge.privacy import find_personal_data
from knowledge.redaction import REDACT_KEY


def refuse_text(dispatcher: CollectingDispatcher, text: str, message: str) -> None:
    """Send ``message`` (why ``text`` is refused); mark it when ``text`` holds personal data."""
    marker = {REDACT_KEY: True} if find_personal_data(text or "") else {}
    dispatcher.utter_message(text=message, **marker)
