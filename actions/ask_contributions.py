"""action_ask_contributions: 'wat hebben anderen toegevoegd?' since the sender last asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import SharedPlanAction, db, error_text, store
from knowledge.sharing import SharingError
from knowledge.sharing.view import news_text


class ActionAskContributions(SharedPlanAction):
    action_name = "action_ask_contributions"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        try:
            contributions, measurements = await db(store().news_for, plan.id, tracker.sender_id)
        except SharingError as error:  # removed or left meanwhile
            dispatcher.utter_message(text=error_text(error))
            return []
        if not contributions and not measurements:
            contributed = await db(store().contributions, plan.id)
            others = [c for c in contributed if c.participant_id != participant.id]
            text = "Er is niets nieuws sinds je het de vorige keer vroeg."
            if not others:
                text = "De andere deelnemers hebben nog niets toegevoegd."
            dispatcher.utter_message(
                text=text, buttons=[{"title": "Laat het plan zien", "payload": "/show_plan"}]
            )
            return []
        dispatcher.utter_message(
            text="Nieuw van de andere deelnemers:\n" + news_text(contributions, measurements),
            buttons=[
                {"title": "Laat het plan zien", "payload": "/show_plan"},
                {"title": "Iets toevoegen", "payload": "/add_contribution"},
            ],
        )
        return []
