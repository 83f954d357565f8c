"""validate_measure_form: one answer in the measure loop.

'Klaar' ends the loop. After a measure was added, 'Klopt' keeps it and anything else changes
who, when, means or priority ('politie, maart tot juni 2027'). Otherwise a number picks a step
of the plan's methods and other text is an own measure. The service checks access and refuses
personal data; a refusal is explained and the question is asked again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import catalogue, db, entity_values, refuse
from knowledge.plan.measure_text import CONFIRM_ENTITY, DONE, added, is_done, is_ok, number_from
from knowledge.sharing import SharingError
from knowledge.sharing.measures import MeasureService, measure_service

# Requests that are not an answer in the loop when the classifier is sure of them.
COMMANDS = {"show_plan", "export_plan", "share_plan", "join_plan", "help", "start_plan"}
SURE = 0.9
AGAIN = {"measure_step": None}


def _is_command(tracker: Tracker) -> bool:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") in COMMANDS and (intent.get("confidence") or 0) >= SURE


async def _details(
    service: MeasureService, tracker: Tracker, dispatcher: CollectingDispatcher, text: str
) -> dict[str, Any]:
    number = int(tracker.get_slot("measure_pending"))
    parties = [str(v) for v in entity_values(tracker, "party")]
    words = catalogue().label("parties", parties[0]) if parties and text.startswith("/") else text
    changed = await db(service.adjust, tracker.sender_id, number, words)
    dispatcher.utter_message(text="Aangepast. " + added(changed, by_owner=True))
    return {"measure_step": None, "measure_pending": None}


async def _add(
    service: MeasureService, tracker: Tracker, dispatcher: CollectingDispatcher, text: str
) -> dict[str, Any]:
    sender = tracker.sender_id
    number = number_from(entity_values(tracker, "measure_number"), text)
    if number is not None:
        choices = await db(service.menu, sender)
        if not 1 <= number <= len(choices):
            dispatcher.utter_message(text=f"Kies een nummer van 1 tot {len(choices)}.")
            return AGAIN
        measure = await db(service.add, sender, "", choices[number - 1][0])
    elif text.startswith("/"):
        return AGAIN
    else:
        measure = await db(service.add, sender, text)
    by_owner = measure.status != "voorgesteld"
    dispatcher.utter_message(text="Toegevoegd. " + added(measure, by_owner))
    return {"measure_step": None, "measure_pending": str(measure.number)}


class ValidateMeasureForm(FormValidationAction):
    def name(self) -> str:
        return "validate_measure_form"

    async def validate_measure_step(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if not text:
            return AGAIN
        confirm = [str(v).lower() for v in entity_values(tracker, CONFIRM_ENTITY)]
        if is_done(text, confirm):
            return {"measure_step": DONE, "measure_pending": None}
        if _is_command(tracker):
            dispatcher.utter_message(text="Je was maatregelen aan het kiezen. Zeg eerst 'klaar'.")
            return AGAIN
        service = measure_service()
        try:
            if tracker.get_slot("measure_pending"):
                if is_ok(text, confirm):
                    return {"measure_step": None, "measure_pending": None}
                return await _details(service, tracker, dispatcher, text)
            return await _add(service, tracker, dispatcher, text)
        except SharingError as error:
            refuse(dispatcher, tracker, error)
            return AGAIN
