"""action_start_contribution: add to the shared plan; asks only what the message did not say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    SharedPlanAction,
    db,
    refuse_text,
    send_saved_contribution,
    sharing,
    user_text,
)
from knowledge.sharing.contribute import contribution_problem, parse_contribution


class ActionStartContribution(SharedPlanAction):
    action_name = "action_start_contribution"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        sender = tracker.sender_id
        await db(sharing().open_membership, sender)  # in a plan, and it is still open
        draft = parse_contribution(user_text(tracker))
        text = draft.text
        problem = contribution_problem(text) if text else None
        if problem:
            refuse_text(dispatcher, text or "", problem)
            text = None
        if draft.step and text:
            saved = await db(sharing().contribute, sender, draft.step, draft.kind, text)
            send_saved_contribution(dispatcher, saved)
            return []
        return [
            SlotSet("contribution_step", str(draft.step) if draft.step else None),
            SlotSet("contribution_text", text),
            FollowupAction("contribution_form"),
        ]
