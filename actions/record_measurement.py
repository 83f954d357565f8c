"""action_record_measurement: 'winkeldiefstallen Q1: 42' -> stored, with progress and a plot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import user_text
from actions.sharing_common import (
    SharedPlanAction,
    db,
    error_text,
    report_for,
    send_chart,
    store,
    write_chart,
)
from knowledge.goals import number_text, parse_measurement
from knowledge.privacy import find_personal_data, personal_data_warning
from knowledge.sharing import SharingError

FORMAT = (
    "Schrijf een meting zo: wat je telde, de periode en het getal. Bijvoorbeeld: "
    "'winkeldiefstallen Q1 2027: 42' of 'woninginbraken maart: 12'."
)


class ActionRecordMeasurement(SharedPlanAction):
    action_name = "action_record_measurement"
    needs_open = True

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        text = user_text(tracker)
        findings = find_personal_data(text)
        if findings:
            dispatcher.utter_message(text=personal_data_warning(findings))
            return []
        measured = parse_measurement(text)
        if measured is None:
            dispatcher.utter_message(text=FORMAT)
            return []
        try:
            await db(
                store().add_measurement,
                plan.id,
                tracker.sender_id,
                measured.indicator,
                measured.period,
                measured.period_key,
                measured.value,
            )
        except SharingError as error:
            dispatcher.utter_message(text=error_text(error))
            return []
        measurements = await db(store().measurements, plan.id)
        report = report_for(plan, measurements)
        mine = [line for line in report.lines if measured.indicator.lower() in line.lower()]
        dispatcher.utter_message(
            text=f"Opgeslagen: {measured.indicator}, {measured.period}: {number_text(measured.value)}.\n"
            + "\n".join(mine or report.lines)
        )
        await db(write_chart, plan.doc_token, report)
        send_chart(dispatcher, plan.doc_token)
        return []
