"""action_contribution_submit: store the contribution for the sender's current shared plan."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_saved_contribution, sharing
from knowledge.sharing.contribute import CANCELLED


class ActionContributionSubmit(SharedPlanAction):
    action_name = "action_contribution_submit"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        step, text = tracker.get_slot("contribution_step"), tracker.get_slot("contribution_text")
        if step and str(step).isdigit() and text and text != CANCELLED:
            saved = await db(sharing().contribute, tracker.sender_id, int(step), None, text)
            send_saved_contribution(dispatcher, saved)
        return self.after_refusal()

    def after_refusal(self) -> list[dict[str, Any]]:
        return [SlotSet("contribution_step", None), SlotSet("contribution_text", None)]
