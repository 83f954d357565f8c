"""REST channel for the Methodewijzer (POST /webhooks/rest/webhook), loaded through
bot/credentials.yml. Loading it installs the action-failure apology (action_failure_apology.py).
"""

from __future__ import annotations

from rasa.core.channels.rest import RestInput

from rasa_ext.action_failure_apology import install

install()


class MethodewijzerRestInput(RestInput):
    """The standard REST channel at /webhooks/rest/webhook, with the failure apology installed."""

    @classmethod
    def name(cls) -> str:
        return "rest"
