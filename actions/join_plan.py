"""action_join_plan: a partner joins a shared plan with its code; the profile form follows."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing, user_text

ASK_CODE = (
    "Met welke deelcode wil je meedoen? Je krijgt die van de eigenaar van het plan. "
    "Typ bijvoorbeeld: 'ik wil meedoen met plan K7QM-4MXZ'."
)


class ActionJoinPlan(SharedPlanAction):
    action_name = "action_join_plan"
    names_plan = "none"  # not in the plan yet; action_profile_submit names it once joined

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        # Unknown, expired, closed, removed, too many tries: refused by the service.
        code = await db(sharing().check_join, tracker.sender_id, user_text(tracker))
        if code is None:
            dispatcher.utter_message(text=ASK_CODE)
            return []
        dispatcher.utter_message(
            text="Welkom! Je partners zien je naam, organisatie en soort partij bij wat je toevoegt."
        )
        return [
            SlotSet("join_code", code),
            SlotSet("profile_purpose", "join"),
            SlotSet("profile_name", None),
            SlotSet("profile_organisation", None),
            SlotSet("profile_party", None),
            FollowupAction("profile_form"),
        ]
