"""action_record_measurement: 'winkeldiefstallen Q1: 42' -> stored, with progress and a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_chart, sharing, user_text
from knowledge.goals import number_text
from knowledge.plan.measures import measure_prefix
from knowledge.sharing.measures import measure_service


class ActionRecordMeasurement(SharedPlanAction):
    action_name = "action_record_measurement"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        # Closed plan, personal data, no readable measurement: refused by the service.
        number, text = measure_prefix(user_text(tracker))
        if number is None:
            measured = await db(sharing().measure, tracker.sender_id, text)
        else:  # 'maatregel 2: schouwen Q1 2027: 3' follows a measure instead of the goal
            measured = await db(measure_service().measure, tracker.sender_id, number, text)
        m = measured.measurement
        follows = f" (maatregel {number})" if number else ""
        dispatcher.utter_message(
            text=f"Opgeslagen{follows}: {m.indicator}, {m.period}: {number_text(m.value)}.\n"
            + "\n".join(measured.lines)
        )
        send_chart(dispatcher, measured.doc_token)
        return []
