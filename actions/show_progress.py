"""action_show_progress: progress towards the plan's goals from the measurements, with a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SharedPlanAction, db, send_chart, sharing
from knowledge.sharing.view import MEASUREMENT_FORMAT


class ActionShowProgress(SharedPlanAction):
    action_name = "action_show_progress"

    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        progress = await db(sharing().progress, tracker.sender_id)
        if not progress.charted:
            goal = progress.goal
            about = f"Het doel: {goal}" if goal else "Er is nog geen doel ingevuld."
            dispatcher.utter_message(
                text=f"Er zijn nog geen metingen. {about}\n{MEASUREMENT_FORMAT}"
            )
            return []
        dispatcher.utter_message(text="Voortgang:\n" + "\n".join(progress.lines))
        send_chart(dispatcher, progress.doc_token)
        return []
