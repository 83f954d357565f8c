"""action_decide_measure: the owner's Bevestigen / Afwijzen of a proposed measure or an offer
to take one on (intents confirm_measure and reject_measure).

Only the owner decides; the service checks that from the sender id and the store, so a partner
cannot confirm their own proposal by typing '/confirm_measure{"measure_number": "2"}'.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, entity_values, user_text
from knowledge.payloads import CONFIRM_MEASURE, MEASURE_NUMBER
from knowledge.plan.measure_text import decided, number_from
from knowledge.sharing.measures import measure_service


class ActionDecideMeasure(SharedPlanAction):
    action_name = "action_decide_measure"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        accept = (intent or tracker.get_intent_of_latest_message()) == CONFIRM_MEASURE
        number = number_from(
            entity_values(tracker, MEASURE_NUMBER), user_text(tracker), ordinals=True
        )
        if number is None:
            dispatcher.utter_message(
                text="Over welke maatregel beslis je? Zeg 'wie doet wat' voor de voorstellen.",
                buttons=[{"title": "Wie doet wat", "payload": "/show_measures"}],
            )
            return []
        measure = await db(measure_service().decide, tracker.sender_id, number, accept)
        dispatcher.utter_message(
            text=decided(measure, accept),
            buttons=[{"title": "Wie doet wat", "payload": "/show_measures"}],
        )
        return []
