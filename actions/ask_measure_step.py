"""action_ask_measure_step: the measure loop's question.

After a measure was added: keep the proposed party and period, or change them. Otherwise: the
steps of the plan's methods as numbered buttons, an own measure in free text, and 'Klaar'.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, db, refuse
from knowledge.plan.measure_text import details_question, menu
from knowledge.sharing import SharingError
from knowledge.sharing.measures import measure_service


def _buttons(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": title, "payload": payload} for title, payload in pairs]


class ActionAskMeasureStep(Action):
    def name(self) -> str:
        return "action_ask_measure_step"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        service = measure_service()
        try:
            board = await db(service.board, tracker.sender_id)
            pending = str(tracker.get_slot("measure_pending") or "")
            current = next((m for m in board.measures if str(m.number) == pending), None)
            if current is not None:
                cat = catalogue()
                method = cat.methods.get(current.origin)
                keys = method.parties if method else list(cat.vocabulary.parties)[:6]
                options = [(k, cat.label("parties", k)) for k in keys]
                text, buttons = details_question(current, options)
            else:
                choices = await db(service.menu, tracker.sender_id)
                text, buttons = menu(choices, len(board.measures))
        except SharingError as error:
            refuse(dispatcher, tracker, error)
            return []
        dispatcher.utter_message(text=text, buttons=_buttons(buttons))
        return []
