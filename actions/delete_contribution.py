"""action_delete_contribution: 'verwijder mijn bijdrage' -> a numbered list, a choice, a confirmation.

The owner may delete any contribution, a partner only their own (the service decides). The
Word file is written again without it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, confirmed, db, entity_values, sharing, user_text
from knowledge.plan.text import shorten
from knowledge.sharing import ContributionInfo
from knowledge.sharing.contribute import STEP_LABELS

SHOWN = 10  # the newest ones get a number and a button
# "2", "nummer 2", "verwijder nr. 2" - but not "stap 3" (a step, not a list number)
_NUMBER = re.compile(r"^\s*(\d{1,2})\W*$|\b(?:nummer|nr\.?)\s*(\d{1,2})\b")


def label(c: ContributionInfo) -> str:
    return (
        f"stap {c.step} ({STEP_LABELS[c.step]}), {c.author or 'de eigenaar'}: {shorten(c.text, 60)}"
    )


def _payload(c: ContributionInfo, confirm: bool = False) -> str:
    extra = ', "confirm": "ja"' if confirm else ""
    return f'/delete_contribution{{"contribution_ref": "{c.id}"{extra}}}'


def chosen(tracker: Tracker, items: list[ContributionInfo]) -> ContributionInfo | None:
    """The contribution of a button (its id), or the number typed from the list ('nummer 2')."""
    refs = {str(v) for v in entity_values(tracker, "contribution_ref")}
    by_ref = next((c for c in items if str(c.id) in refs), None)
    if by_ref or refs:
        return by_ref
    typed = _NUMBER.search(user_text(tracker).lower())
    number = int(typed.group(1) or typed.group(2)) if typed else 0
    if 1 <= number <= min(SHOWN, len(items)):
        return items[number - 1]
    return None


class ActionDeleteContribution(SharedPlanAction):
    action_name = "action_delete_contribution"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        me = await db(sharing().open_membership, tracker.sender_id)
        items = await db(sharing().deletable, tracker.sender_id)  # newest first
        if not items:
            mine = "" if me.is_owner else " van jou"
            dispatcher.utter_message(text=f"Er staan nog geen bijdragen{mine} in het plan.")
            return []
        choice = chosen(tracker, items)
        if choice is None:
            whose = "" if me.is_owner else " van jou"
            lines = [f"{i}. {label(c)}" for i, c in enumerate(items[:SHOWN], start=1)]
            dispatcher.utter_message(
                text=f"Welke bijdrage{whose} wil je verwijderen? Kies een knop of typ het "
                "nummer.\n" + "\n".join(lines),
                buttons=[
                    {"title": f"{i}. {shorten(c.text, 30)}", "payload": _payload(c)}
                    for i, c in enumerate(items[:SHOWN], start=1)
                ]
                + [{"title": "Niets verwijderen", "payload": "/deny"}],
            )
            return []
        if not confirmed(tracker):
            dispatcher.utter_message(
                text=f"Weet je zeker dat je deze bijdrage verwijdert? {label(choice)}",
                buttons=[
                    {"title": "Ja, verwijderen", "payload": _payload(choice, confirm=True)},
                    {"title": "Nee", "payload": "/deny"},
                ],
            )
            return []
        await db(sharing().delete_contribution, tracker.sender_id, choice.id)
        dispatcher.utter_message(
            text="De bijdrage is verwijderd. Het Word-bestand is bijgewerkt.",
            buttons=[{"title": "Laat het plan zien", "payload": "/show_plan"}],
        )
        return []
