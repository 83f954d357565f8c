"""action_start_contribution: add to the shared plan; asks only what the message did not say."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import user_text
from actions.contribution_submit import save_contribution
from actions.sharing_common import SharedPlanAction
from knowledge.sharing.contribute import contribution_problem, parse_contribution


class ActionStartContribution(SharedPlanAction):
    action_name = "action_start_contribution"
    needs_open = True

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        draft = parse_contribution(user_text(tracker))
        text = draft.text
        problem = contribution_problem(text) if text else None
        if problem:
            dispatcher.utter_message(text=problem)
            text = None
        if draft.step and text:
            await save_contribution(
                dispatcher, tracker, participant, plan, draft.step, draft.kind, text
            )
            return []
        return [
            SlotSet("contribution_step", str(draft.step) if draft.step else None),
            SlotSet("contribution_text", text),
            FollowupAction("contribution_form"),
        ]
