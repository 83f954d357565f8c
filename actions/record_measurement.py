"""action_record_measurement: 'winkeldiefstallen Q1: 42' -> stored, with progress and a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_chart, sharing, user_text
from knowledge.goals import number_text


class ActionRecordMeasurement(SharedPlanAction):
    action_name = "action_record_measurement"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        # Closed plan, personal data, no readable measurement: refused by the service.
        measured = await db(sharing().measure, tracker.sender_id, user_text(tracker))
        m = measured.measurement
        dispatcher.utter_message(
            text=f"Opgeslagen: {m.indicator}, {m.period}: {number_text(m.value)}.\n"
            + "\n".join(measured.lines)
        )
        send_chart(dispatcher, measured.doc_token)
        return []
