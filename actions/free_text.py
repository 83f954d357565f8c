"""action_free_text: text read as a planner answer (inform) while no planner is running.

For someone in an open shared plan such text is most likely something to add ("wij zien op
zaterdag veel diefstal") or a measurement: it is offered as a contribution (the step question
lets the user confirm or stop) or recorded. Everything else goes to understanding
(action_understand: advice, out of scope or 'not understood').
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, name_plan, refuse_text, sharing, user_text
from knowledge.goals import parse_measurement
from knowledge.sharing.contribute import contribution_problem, parse_contribution

MIN_WORDS = 4


class ActionFreeText(Action):
    def name(self) -> str:
        return "action_free_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = user_text(tracker)
        me = await db(sharing().current, tracker.sender_id)
        if me is None or me.plan.status != "open" or not text:
            return [FollowupAction("action_understand")]  # search decides: advice or not
        if parse_measurement(text):
            return [FollowupAction("action_record_measurement")]
        if len(text.split()) < MIN_WORDS:
            return [FollowupAction("action_understand")]
        problem = contribution_problem(text)
        if problem:
            refuse_text(dispatcher, text, problem)
            return []
        start = len(dispatcher.messages)
        dispatcher.utter_message(
            text="Wil je dit toevoegen aan het gezamenlijke plan? Kies de stap. Zo niet, zeg 'stop'."
        )
        name_plan(dispatcher, start, me.plan)  # which plan it would go to
        draft = parse_contribution(text)
        return [
            SlotSet("contribution_step", None),
            SlotSet("contribution_text", draft.text or text),
            FollowupAction("contribution_form"),
        ]
