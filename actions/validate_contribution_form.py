"""validate_contribution_form: the planner step and the text of a contribution.

Text that looks like personal data about citizens is refused (and not stored): the user is told
why and asked to write it again. 'nee' or 'laat maar' ends the form without storing anything,
and a request typed instead of a text ("laat het plan zien") is not taken as the text.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import refuse_text
from knowledge.sharing.contribute import (
    CANCELLED,
    contribution_problem,
    is_cancel,
    parse_contribution,
    step_from_choice,
)

# Requests that are not a contribution text when the classifier is sure of them.
COMMANDS = {
    "join_plan",
    "share_plan",
    "show_plan",
    "export_plan",
    "ask_contributions",
    "show_progress",
    "record_measurement",
    "close_plan",
    "leave_plan",
    "remove_participant",
    "delete_contribution",
    "new_join_code",
    "help",
    "start_plan",
}
SURE = 0.9


def _cancel(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    dispatcher.utter_message(text="Oké, ik voeg niets toe aan het plan.")
    return {"contribution_step": CANCELLED, "contribution_text": CANCELLED}


def _is_command(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") in COMMANDS and (intent.get("confidence") or 0) >= SURE


class ValidateContributionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contribution_form"

    async def validate_contribution_step(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == CANCELLED or is_cancel(str(value or "")):
            return _cancel(dispatcher)
        step = step_from_choice(str(value or ""))
        if step is None:
            if value:
                dispatcher.utter_message(
                    text="Bij welke stap hoort het? Kies een van de knoppen, of zeg 'nee'."
                )
            return {"contribution_step": None}
        result: dict[str, Any] = {"contribution_step": str(step)}
        # "stap 3: wij surveilleren al" typed at the step question carries the text as well:
        # it gets the same checks as a text typed at the text question.
        draft = parse_contribution(str(value))
        if draft.text and not tracker.get_slot("contribution_text") and ":" in str(value):
            problem = contribution_problem(draft.text)
            if problem:
                refuse_text(dispatcher, str(value), problem)
            else:
                result["contribution_text"] = draft.text
        return result

    async def validate_contribution_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if text == CANCELLED:
            return {"contribution_text": CANCELLED}
        if not text or text.startswith("/"):
            return {"contribution_text": None}
        if is_cancel(text):
            return _cancel(dispatcher)
        if tracker.get_slot("requested_slot") == "contribution_text" and _is_command(tracker):
            dispatcher.utter_message(
                text="Je was iets aan het toevoegen. Typ eerst je aanvulling, of zeg 'stop'."
            )
            return {"contribution_text": None}
        problem = contribution_problem(text)
        if problem:
            refuse_text(dispatcher, text, problem)
            return {"contribution_text": None}
        return {"contribution_text": text}
