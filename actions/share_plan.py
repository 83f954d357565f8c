"""action_share_plan: the owner gets the join code; first the owner says who they are."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing
from knowledge.sharing.view import PAUSED_NOTE, share_text


class ActionSharePlan(SharedPlanAction):
    action_name = "action_share_plan"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        code = await db(sharing().share, tracker.sender_id)  # the owner only
        if code is None:
            dispatcher.utter_message(
                text="Voordat je deelt: je partners zien wie er meedoet. Vertel even wie je bent."
            )
            return [
                SlotSet("profile_purpose", "share"),
                SlotSet("join_code", None),
                SlotSet("profile_name", None),
                SlotSet("profile_organisation", None),
                SlotSet("profile_party", None),
                FollowupAction("profile_form"),
            ]
        dispatcher.utter_message(text=share_text(code.code, code.expires))
        if code.paused:
            dispatcher.utter_message(text=PAUSED_NOTE)
        return []
