"""action_profile_submit: finish joining (with the code) or sharing (owner's own profile)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, sharing
from knowledge.sharing.view import share_text

RESET = ("profile_purpose", "join_code", "profile_name", "profile_organisation", "profile_party")


class ActionProfileSubmit(SharedPlanAction):
    action_name = "action_profile_submit"
    names_plan = "after"  # the plan just joined (or the owner's plan that is shared)

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        sender = tracker.sender_id
        name = tracker.get_slot("profile_name") or ""
        organisation = tracker.get_slot("profile_organisation") or ""
        party = tracker.get_slot("profile_party") or ""
        if tracker.get_slot("profile_purpose") == "join":
            # The code in the slot is only a wish: the service checks it again.
            code = tracker.get_slot("join_code") or ""
            joined = await db(sharing().join, sender, code, name, organisation, party)
            dispatcher.utter_message(
                text=f"Je doet nu mee aan het plan van {joined.owner_name} als "
                f"{name} ({organisation}, {joined.party_label}).",
                buttons=[
                    {"title": "Laat het plan zien", "payload": "/show_plan"},
                    {"title": "Iets toevoegen", "payload": "/add_contribution"},
                    {"title": "Meting invoeren", "payload": "/record_measurement"},
                ],
            )
            return self.after_refusal()
        _profile, code_info = await db(
            sharing().set_owner_profile, sender, name, organisation, party
        )
        dispatcher.utter_message(
            text=f"Dank je, {name}. " + share_text(code_info.code, code_info.expires)
        )
        return self.after_refusal()

    def after_refusal(self) -> list[dict[str, Any]]:
        return [SlotSet(slot, None) for slot in RESET]
