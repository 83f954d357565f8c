"""action_show_progress: progress towards the plan's goals from the measurements, with a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.record_measurement import FORMAT
from actions.sharing_common import SharedPlanAction, db, report_for, send_chart, store, write_chart


class ActionShowProgress(SharedPlanAction):
    action_name = "action_show_progress"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        measurements = await db(store().measurements, plan.id)
        if not measurements:
            goal = plan.answers.get("plan_goal")
            about = f"Het doel: {goal}" if goal else "Er is nog geen doel ingevuld."
            dispatcher.utter_message(text=f"Er zijn nog geen metingen. {about}\n{FORMAT}")
            return []
        report = report_for(plan, measurements)
        dispatcher.utter_message(text="Voortgang:\n" + "\n".join(report.lines))
        await db(write_chart, plan.doc_token, report)
        send_chart(dispatcher, plan.doc_token)
        return []
