"""action_start_measures: 'maatregel toevoegen' starts the measure loop on the current plan.

The store decides: the sender takes part in an open plan (owner or partner); only then the
form starts. The owner's measures count as confirmed, a partner's are proposals.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing


class ActionStartMeasures(SharedPlanAction):
    action_name = "action_start_measures"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        await db(sharing().open_membership, tracker.sender_id)  # NoPlan / PlanClosed refuse
        return [
            SlotSet("measure_step", None),
            SlotSet("measure_pending", None),
            FollowupAction("measure_form"),
        ]
