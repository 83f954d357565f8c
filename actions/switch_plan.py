"""action_switch_plan: 'ga verder met Stationsgebied Oost' or a plan button makes a plan current.

A button carries the plan id; whether the sender may open that plan is decided by the service
from the sender id and the store (a typed '/switch_plan{"plan_id": ...}' of someone else's plan
is refused). A typed name is matched against the sender's own plans only.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, entity_values, send, sharing, user_text
from knowledge.payloads import PLAN_ID_ENTITY
from knowledge.sharing.projects import switch_target
from knowledge.sharing.projects_view import (
    ambiguous_reply,
    switched_reply,
    unknown_reply,
    which_reply,
)


class ActionSwitchPlan(SharedPlanAction):
    action_name = "action_switch_plan"
    names_plan = "after"  # the plan it switched to

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        projects = sharing().projects
        sender = tracker.sender_id
        plan_id = next(iter(entity_values(tracker, PLAN_ID_ENTITY)), None)
        if plan_id is None:
            typed = " ".join(str(v) for v in entity_values(tracker, "plan_name"))
            typed = typed or user_text(tracker)
            found = await db(projects.find, sender, typed, user_text(tracker))
            if found.item is None:
                items = await db(projects.plans, sender)
                if found.candidates:
                    send(dispatcher, ambiguous_reply(found.candidates))
                elif switch_target(typed):
                    send(dispatcher, unknown_reply(items, switch_target(typed)))
                else:
                    send(dispatcher, which_reply(items))
                return []
            plan_id = found.item.plan_id
        membership = await db(projects.switch, sender, str(plan_id))
        send(dispatcher, switched_reply(membership))
        slots = projects.planner_slots(membership)
        return [SlotSet(slot, value) for slot, value in slots.items()]
