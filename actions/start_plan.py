"""action_start_plan: begin a new plan van aanpak (a method from a button is remembered)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import methods_in_message
from knowledge.steps import SLOTS

INTRO = (
    "Mooi, we maken samen een plan van aanpak in zes vragen: de stappen van de Lokale "
    "Veiligheidsplanner. Je kunt onderweg altijd een vraag stellen, 'terug' zeggen om je vorige "
    "antwoord te wijzigen of 'stop' typen om te pauzeren."
)


class ActionStartPlan(Action):
    def name(self) -> str:
        return "action_start_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=INTRO)
        events = [SlotSet(slot, None) for slot in SLOTS] + [SlotSet("plan_state", None)]
        named = methods_in_message(tracker)
        if named:
            events.append(SlotSet("method", named[0]))
        return events
