"""action_share_plan: the owner gets the join code; first the owner says who they are."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import SharedPlanAction, db, error_text, store
from knowledge.sharing import SharingError


def share_text(code: str) -> str:
    return (
        f"De deelcode van je plan is {code}. Geef die aan je partners (bijvoorbeeld politie, "
        f"ondernemers of jongerenwerk). Zij typen: 'ik wil meedoen met plan {code}'. "
        "Iedereen ziet daarna hetzelfde plan en kan aanvullen; jij beslist over prioriteiten, "
        "doelen en methoden."
    )


class ActionSharePlan(SharedPlanAction):
    action_name = "action_share_plan"
    owner_only = (
        "Alleen de eigenaar deelt de deelcode. Vraag de deelcode aan de eigenaar van het plan."
    )

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        if not participant.name:
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
        try:
            await db(store().touch, plan.id, tracker.sender_id)
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        dispatcher.utter_message(text=share_text(plan.code))
        return []
