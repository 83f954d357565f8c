"""action_new_join_code: the owner asks for a new join code; the old one stops working."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing
from knowledge.sharing.view import day


class ActionNewJoinCode(SharedPlanAction):
    action_name = "action_new_join_code"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        code = await db(sharing().new_code, tracker.sender_id)  # the owner only, open plans
        dispatcher.utter_message(
            text=f"Je nieuwe deelcode is {code.code}. De oude code werkt niet meer. Wie al "
            f"meedoet, blijft meedoen. De nieuwe code werkt tot {day(code.expires)}. Alleen jij "
            "ziet deze code: geef hem alleen aan partners die je uitnodigt."
        )
        return []
