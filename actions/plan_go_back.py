"""action_plan_go_back: 'terug' clears the previous answer so the form asks it again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from knowledge.planning import PlanState
from knowledge.steps import SLOTS


class ActionPlanGoBack(Action):
    def name(self) -> str:
        return "action_plan_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        requested = tracker.get_slot("requested_slot")
        index = SLOTS.index(requested) if requested in SLOTS else len(SLOTS)
        if index == 0:
            dispatcher.utter_message(text="Dit is de eerste vraag; verder terug kan niet.")
            return []
        previous = SLOTS[index - 1]
        dispatcher.utter_message(text="Oké, we gaan een vraag terug. Je vorige antwoord vervalt.")
        events = [SlotSet(previous, None), SlotSet("requested_slot", previous)]
        if previous == "plan_goal" or not tracker.get_slot("plan_goal"):
            # a goal that is (again) open gets its SMART tries back
            state = PlanState.from_dict(tracker.get_slot("plan_state"))
            state.goal_tries, state.goal_verdict = 0, ""
            events.append(SlotSet("plan_state", state.to_dict()))
        return events
