"""action_list_plans: 'mijn plannen' lists the plans the sender owns or takes part in, and the
plan still being drafted in this conversation (not saved yet) as a concept."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send, sharing
from knowledge.sharing.projects_view import plans_reply
from knowledge.steps import SLOTS

PLANNER_FORM = "planner_form"


class ActionListPlans(SharedPlanAction):
    action_name = "action_list_plans"
    names_plan = "none"  # a list of plans, not one plan

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        items = await db(sharing().projects.plans, tracker.sender_id)
        answers = {slot: tracker.get_slot(slot) for slot in SLOTS}
        planning = tracker.active_loop_name == PLANNER_FORM
        draft = sharing().projects.draft(answers, tracker.get_slot("plan_state"), planning)
        send(dispatcher, plans_reply(items, draft))
        return []
