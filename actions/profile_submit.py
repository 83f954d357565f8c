"""action_profile_submit: finish joining (with the code) or sharing (owner's own profile)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue
from actions.share_plan import share_text
from actions.sharing_common import db, error_text, join_throttle, store
from knowledge.sharing import SharingError

RESET = ("profile_purpose", "join_code", "profile_name", "profile_organisation", "profile_party")


class ActionProfileSubmit(Action):
    def name(self) -> str:
        return "action_profile_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        sender = tracker.sender_id
        name = tracker.get_slot("profile_name") or ""
        organisation = tracker.get_slot("profile_organisation") or ""
        party = tracker.get_slot("profile_party") or ""
        if party not in catalogue().vocabulary.parties:
            party = ""
        reset = [SlotSet(slot, None) for slot in RESET]
        try:
            if tracker.get_slot("profile_purpose") == "join":
                code = tracker.get_slot("join_code") or ""
                if join_throttle.blocked(sender):
                    dispatcher.utter_message(
                        text="Te veel onjuiste codes. Probeer het later opnieuw."
                    )
                    return reset
                joined = await db(store().join, code, sender, name, organisation, party)
                plan = await db(store().get_plan, joined.plan_id)
                owner = next(
                    p for p in await db(store().participants, plan.id) if p.role == "owner"
                )
                label = catalogue().label("parties", party) if party else "partner"
                dispatcher.utter_message(
                    text=f"Je doet nu mee aan het plan van {owner.name or 'de eigenaar'} als "
                    f"{name} ({organisation}, {label}).",
                    buttons=[
                        {"title": "Laat het plan zien", "payload": "/show_plan"},
                        {"title": "Iets toevoegen", "payload": "/add_contribution"},
                        {"title": "Meting invoeren", "payload": "/record_measurement"},
                    ],
                )
                return reset
            participant = await db(store().current_participation, sender)
            if participant is None or participant.role != "owner":
                dispatcher.utter_message(text="Dat kan alleen de eigenaar van het plan.")
                return reset
            await db(store().set_profile, participant.plan_id, sender, name, organisation, party)
            plan = await db(store().get_plan, participant.plan_id)
            dispatcher.utter_message(text=f"Dank je, {name}. " + share_text(plan.code))
        except SharingError as error:
            if getattr(error, "reason", "") == "unknown_code":
                join_throttle.failed(sender)
            dispatcher.utter_message(text=error_text(error))
        return reset
