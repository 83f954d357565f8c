"""action_remove_participant: the owner removes a partner, chosen by button or by name.

Removal is final (a removed partner cannot join again, and the join code changes), so the
owner confirms with a button.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, confirmed, db, entity_values, sharing, user_text
from knowledge.nl.text import fold
from knowledge.sharing import ParticipantInfo
from knowledge.sharing.view import who

_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def named_partner(text: str, partners: list[ParticipantInfo]) -> ParticipantInfo | None:
    """The one partner whose whole name or organisation the owner typed ('haal Piet eruit')."""
    words = _words(text)
    named = [
        p
        for p in partners
        if any(label and _words(label) in words for label in (p.name, p.organisation))
    ]
    return named[0] if len(named) == 1 else None


class ActionRemoveParticipant(SharedPlanAction):
    action_name = "action_remove_participant"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        partners = await db(sharing().partners, tracker.sender_id)  # the owner only
        if not partners:
            dispatcher.utter_message(text="Er doen nog geen partners mee aan je plan.")
            return []
        refs = [str(v) for v in entity_values(tracker, "participant_ref")]
        chosen = next((p for p in partners if str(p.id) in refs), None)
        chosen = chosen or named_partner(user_text(tracker), partners)
        if chosen is None:
            dispatcher.utter_message(
                text="Wie wil je uit het plan halen? Wat diegene toevoegde, blijft staan.",
                buttons=[
                    {
                        "title": who(p),
                        "payload": f'/remove_participant{{"participant_ref": "{p.id}"}}',
                    }
                    for p in partners
                ],
            )
            return []
        if not confirmed(tracker):
            payload = f'/remove_participant{{"participant_ref": "{chosen.id}", "confirm": "ja"}}'
            dispatcher.utter_message(
                text=f"Weet je zeker dat {who(chosen)} niet meer meedoet? Dat is definitief; "
                "wat diegene toevoegde, blijft in het plan.",
                buttons=[
                    {"title": "Ja, verwijderen", "payload": payload},
                    {"title": "Nee", "payload": "/deny"},
                ],
            )
            return []
        await db(sharing().remove, tracker.sender_id, chosen.id)
        dispatcher.utter_message(
            text=f"{who(chosen)} doet niet meer mee. Wat diegene toevoegde, blijft in het plan. "
            "Je deelcode is veranderd: de oude code en de oude downloadlink werken niet meer. "
            "Vraag 'laat het plan zien' voor de nieuwe."
        )
        return []
