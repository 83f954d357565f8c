"""action_show_measures: 'wie doet wat' - the measures of the current plan, what is missing,
for the owner the proposals to decide on (Bevestigen / Afwijzen), and the Word file."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_document
from knowledge.plan.measure_text import overview
from knowledge.sharing.measures import measure_service


class ActionShowMeasures(SharedPlanAction):
    action_name = "action_show_measures"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        service = measure_service()
        board = await db(service.board, tracker.sender_id)
        section = board.section
        text, buttons = overview(
            section.lines,
            section.checks,
            section.goal_link,
            board.pending,
            board.membership.is_owner,
        )
        dispatcher.utter_message(
            text=text, buttons=[{"title": t, "payload": p} for t, p in buttons]
        )
        if board.measures:
            token = await db(service.render, tracker.sender_id)
            send_document(dispatcher, token, "Het plan met de tabel 'Wie doet wat' (Word):")
        return [SlotSet("measure_step", None), SlotSet("measure_pending", None)]
