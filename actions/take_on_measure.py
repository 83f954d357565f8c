"""action_take_on_measure: 'wij nemen maatregel 2 op ons'.

A partner's offer waits for the owner (Bevestigen / Afwijzen); the owner takes it on directly.
The measure number comes from the entity or the text; who may do what from the store.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, entity_values, user_text
from knowledge.plan.measure_text import number_from, taken_on
from knowledge.sharing.measures import measure_service


class ActionTakeOnMeasure(SharedPlanAction):
    action_name = "action_take_on_measure"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        number = number_from(
            entity_values(tracker, "measure_number"), user_text(tracker), ordinals=True
        )
        if number is None:
            dispatcher.utter_message(
                text="Welke maatregel neem je op je? Noem het nummer, bijvoorbeeld "
                "'wij nemen maatregel 2 op ons'.",
                buttons=[{"title": "Wie doet wat", "payload": "/show_measures"}],
            )
            return []
        service = measure_service()
        me = await db(service.sharing.membership, tracker.sender_id)
        measure = await db(service.take_on, tracker.sender_id, number)
        dispatcher.utter_message(text=taken_on(measure, me.is_owner))
        return []
