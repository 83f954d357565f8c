"""action_list_plans: 'mijn plannen' lists the plans the sender owns or takes part in."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send, sharing
from knowledge.sharing.projects_view import plans_reply


class ActionListPlans(SharedPlanAction):
    action_name = "action_list_plans"
    names_plan = "none"  # a list of plans, not one plan

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        items = await db(sharing().projects.plans, tracker.sender_id)
        send(dispatcher, plans_reply(items))
        return []
