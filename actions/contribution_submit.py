"""action_contribution_submit: store the contribution for the sender's current shared plan."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.sharing_common import current, db, error_text, store
from actions.validate_contribution_form import CANCELLED
from knowledge.sharing import SharingError
from knowledge.sharing.contribute import (
    KIND_LABELS,
    STEP_LABELS,
    contribution_problem,
    kind_of,
    stored_kind,
)


async def save_contribution(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    participant: Any,
    plan: Any,
    step: int,
    kind: str | None,
    text: str,
) -> bool:
    """Store one contribution; the store checks again that the sender takes part."""
    problem = contribution_problem(text)
    if problem:  # personal data, too short, too long: never stored
        dispatcher.utter_message(text=problem)
        return False
    final_kind = stored_kind(step, kind or kind_of(text), participant.role == "owner")
    try:
        await db(store().add_contribution, plan.id, tracker.sender_id, step, final_kind, text)
    except SharingError as error:
        dispatcher.utter_message(text=error_text(error))
        return False
    what = KIND_LABELS[final_kind]
    note = ""
    if final_kind in ("voorstel", "opmerking"):
        note = " De eigenaar beslist over prioriteiten, doelen en methoden."
    dispatcher.utter_message(
        text=f"Opgeslagen in plan {plan.code} als {what} bij stap {step} ({STEP_LABELS[step]}).{note} "
        "De andere deelnemers zien het bij 'wat hebben anderen toegevoegd?'.",
        buttons=[
            {"title": "Nog iets toevoegen", "payload": "/add_contribution"},
            {"title": "Laat het plan zien", "payload": "/show_plan"},
        ],
    )
    return True


class ActionContributionSubmit(Action):
    def name(self) -> str:
        return "action_contribution_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        step, text = tracker.get_slot("contribution_step"), tracker.get_slot("contribution_text")
        if step and str(step).isdigit() and text and text != CANCELLED:
            found = await current(tracker, dispatcher)
            if found is not None:
                participant, plan = found
                await save_contribution(
                    dispatcher, tracker, participant, plan, int(step), None, text
                )
        return [SlotSet("contribution_step", None), SlotSet("contribution_text", None)]
