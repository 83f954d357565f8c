"""action_join_plan: a partner joins a shared plan with its code; the profile form follows."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import user_text
from actions.sharing_common import db, join_throttle, store
from knowledge.sharing.codes import find_code

ASK_CODE = (
    "Met welke deelcode wil je meedoen? Je krijgt die van de eigenaar van het plan. "
    "Typ bijvoorbeeld: 'ik wil meedoen met plan K7QM-4MXZ'."
)
TOO_MANY = "Je hebt te vaak een onjuiste code gebruikt. Probeer het over tien minuten opnieuw."
UNKNOWN = "Die deelcode ken ik niet. Controleer de code bij de eigenaar en probeer het opnieuw."


class ActionJoinPlan(Action):
    def name(self) -> str:
        return "action_join_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        sender = tracker.sender_id
        code = find_code(user_text(tracker))
        if code is None:
            dispatcher.utter_message(text=ASK_CODE)
            return []
        if join_throttle.blocked(sender):
            dispatcher.utter_message(text=TOO_MANY)
            return []
        plan = await db(store().plan_by_code, code)
        if plan is None:
            join_throttle.failed(sender)
            dispatcher.utter_message(text=UNKNOWN)
            return []
        if plan.status == "closed":
            dispatcher.utter_message(text="Dit plan is gesloten; meedoen kan niet meer.")
            return []
        member = await db(store().participant, plan.id, sender)
        if member is not None and member.active:
            await db(store().touch, plan.id, sender)
            dispatcher.utter_message(
                text="Je doet al mee aan dit plan. Zeg 'laat het plan zien' om het te bekijken."
            )
            return []
        if (
            member is not None
            and not member.active
            and member.role == "partner"
            and _removed(member)
        ):
            dispatcher.utter_message(
                text="De eigenaar heeft je uit dit plan gehaald. Je kunt niet meer meedoen met dit plan."
            )
            return []
        dispatcher.utter_message(
            text="Welkom! Je partners zien je naam, organisatie en soort partij bij wat je toevoegt."
        )
        return [
            SlotSet("join_code", code),
            SlotSet("profile_purpose", "join"),
            SlotSet("profile_name", None),
            SlotSet("profile_organisation", None),
            SlotSet("profile_party", None),
            FollowupAction("profile_form"),
        ]


def _removed(member: Any) -> bool:
    return bool(getattr(member, "removed", False))
