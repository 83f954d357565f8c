"""action_rename_plan: 'noem dit plan Winkelcentrum Zuid' (the owner, an open plan)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, entity_values, send, sharing, user_text
from knowledge.sharing.projects import wanted_name
from knowledge.sharing.projects_view import ASK_NAME, renamed_reply


class ActionRenamePlan(SharedPlanAction):
    action_name = "action_rename_plan"
    names_plan = "before"  # the plan that gets the new name

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        named = [str(v) for v in entity_values(tracker, "plan_name")]
        wanted = wanted_name(named, user_text(tracker))
        if not wanted:  # the button "Naam wijzigen", or "ik wil de naam wijzigen"
            await db(sharing().projects.rename_check, tracker.sender_id)
            dispatcher.utter_message(text=ASK_NAME)
            return []
        renamed = await db(sharing().projects.rename, tracker.sender_id, wanted)
        send(dispatcher, renamed_reply(renamed, wanted))
        return []
