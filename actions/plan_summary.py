"""action_plan_summary: assemble the plan van aanpak, save it as DOCX and give the link."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask_planner_steps import SLOTS
from actions.common import catalogue, public_url
from knowledge.plan import PlanStore, build_plan, new_plan_id, to_markdown
from knowledge.planning import PlanState


class ActionPlanSummary(Action):
    def name(self) -> str:
        return "action_plan_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answers = {slot: tracker.get_slot(slot) for slot in SLOTS}
        if not any(answers.values()):
            dispatcher.utter_message(
                text="Je hebt nog geen plan. Zeg 'ik wil een plan maken' om te beginnen.",
                buttons=[{"title": "Plan maken", "payload": "/start_plan"}],
            )
            return []
        state = PlanState.from_dict(tracker.get_slot("plan_state"))
        state.plan_id = state.plan_id or new_plan_id()  # chosen here, never taken from user input
        plan = build_plan(catalogue(), answers, state)
        PlanStore().save(plan)
        url = f"{public_url()}/plans/{plan.id}.docx"
        complete = all(answers.values())
        intro = "Je plan van aanpak is klaar." if complete else "Dit is je plan tot nu toe."
        dispatcher.utter_message(text=f"{intro}\n\n{to_markdown(plan)}")
        dispatcher.utter_message(
            text=f"Download het volledige plan (Word): {url}",
            custom={"type": "plan", "plan_id": plan.id, "url": url},
        )
        return [SlotSet("plan_state", state.to_dict())]
