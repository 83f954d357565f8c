"""action_show_progress: progress towards the plan's goals from the measurements, with a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import lexicon
from actions.record_measurement import FORMAT
from actions.sharing_common import current, db, send_chart, store, write_chart
from knowledge.sharing.view import progress_report


class ActionShowProgress(Action):
    def name(self) -> str:
        return "action_show_progress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        found = await current(tracker, dispatcher)
        if found is None:
            return []
        _participant, plan = found
        measurements = await db(store().measurements, plan.id)
        if not measurements:
            goal = plan.answers.get("plan_goal")
            about = f"Het doel: {goal}" if goal else "Er is nog geen doel ingevuld."
            dispatcher.utter_message(text=f"Er zijn nog geen metingen. {about}\n{FORMAT}")
            return []
        report = progress_report(plan.answers.get("plan_goal", ""), measurements, lexicon())
        dispatcher.utter_message(text="Voortgang:\n" + "\n".join(report.lines))
        await db(write_chart, plan, measurements)
        send_chart(dispatcher, plan.doc_token)
        return []
