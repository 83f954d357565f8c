"""action_ask_contributions: 'wat hebben anderen toegevoegd?' since the sender last asked.

The owner also reads which measure offers and proposals wait for their decision.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db
from knowledge.sharing.measures import measure_service
from knowledge.sharing.view import news_text

SHOW = {"title": "Laat het plan zien", "payload": "/show_plan"}


class ActionAskContributions(SharedPlanAction):
    action_name = "action_ask_contributions"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        news = await db(measure_service().news, tracker.sender_id)  # with pending offers
        notes = "".join(f"\n{note}" for note in news.owner_notes)
        if not news.contributions and not news.measurements:
            text = "Er is niets nieuws sinds je het de vorige keer vroeg."
            if not news.others_added_before:
                text = "De andere deelnemers hebben nog niets toegevoegd."
            dispatcher.utter_message(text=text + notes, buttons=[SHOW])
            return []
        dispatcher.utter_message(
            text="Nieuw van de andere deelnemers:\n"
            + news_text(news.contributions, news.measurements)
            + notes,
            buttons=[SHOW, {"title": "Iets toevoegen", "payload": "/add_contribution"}],
        )
        return []
