"""validate_contribution_form: the planner step and the text of a contribution.

Text that looks like personal data about citizens is refused (and not stored): the user is told
why and asked to write it again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from knowledge.privacy import find_personal_data, personal_data_warning
from knowledge.sharing.contribute import MAX_CHARS, MIN_WORDS, parse_contribution, step_from_choice


class ValidateContributionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_contribution_form"

    async def validate_contribution_step(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        step = step_from_choice(str(value or ""))
        if step is None:
            if value:
                dispatcher.utter_message(text="Bij welke stap hoort het? Kies een van de knoppen.")
            return {"contribution_step": None}
        result: dict[str, Any] = {"contribution_step": str(step)}
        # "stap 3: wij surveilleren al" typed at the step question carries the text as well
        draft = parse_contribution(str(value))
        if draft.text and not tracker.get_slot("contribution_text") and ":" in str(value):
            result["contribution_text"] = draft.text
        return result

    async def validate_contribution_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if not text or text.startswith("/"):
            return {"contribution_text": None}
        findings = find_personal_data(text)
        if findings:
            dispatcher.utter_message(text=personal_data_warning(findings))
            return {"contribution_text": None}
        if len(text.split()) < MIN_WORDS:
            dispatcher.utter_message(
                text="Kun je het iets uitgebreider zeggen? Een korte zin is genoeg."
            )
            return {"contribution_text": None}
        if len(text) > MAX_CHARS:
            dispatcher.utter_message(text=f"Dat is te lang. Houd het onder {MAX_CHARS} tekens.")
            return {"contribution_text": None}
        return {"contribution_text": text}
