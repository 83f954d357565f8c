"""The custom message payloads the actions send next to their text, defined once.

An action sends ``{"type": "plan" | "chart", "plan_id": ..., "url": ...}`` as a Rasa ``custom``
message: the plan's Word file or its progress plot. Each channel shows it its own way (the
Telegram bridge sends the file, the web page shows a download button or the picture).
channels/web/static/chat.js mirrors ``PLAN``, ``CHART`` and the field names; a test checks that
the two agree. Plain Python: channels import this without pulling in any search code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from knowledge.plan.files import PlanFiles, is_plan_id

TYPE = "type"
PLAN_ID = "plan_id"
URL = "url"
#: the plan van aanpak as a Word file
PLAN = "plan"
#: the progress plot of a shared plan (PNG)
CHART = "chart"
KINDS = (PLAN, CHART)
_SUFFIX = {PLAN: ".docx", CHART: ".png"}


@dataclass(frozen=True)
class FilePayload:
    """A plan file to show: which kind, the plan's download id, and its full download URL.

    A received payload whose id is missing or not a plan id has ``plan_id`` None.
    """

    kind: str
    plan_id: str | None
    url: str

    def to_custom(self) -> dict[str, str | None]:
        return {TYPE: self.kind, PLAN_ID: self.plan_id, URL: self.url}


def file_payload(kind: str, plan_id: str, public_url: str) -> FilePayload:
    """The payload for a plan's Word file (PLAN) or progress plot (CHART)."""
    if kind not in KINDS:
        raise ValueError(f"unknown payload type {kind!r}")
    url = public_url.rstrip("/") + PlanFiles.download_path(plan_id, _SUFFIX[kind])
    return FilePayload(kind, plan_id, url)


def parse(custom: Any) -> FilePayload | None:
    """A received ``custom`` message as a payload, or None when it is not one of ours.

    The plan id is checked (None when it is not a plan id), so a channel may use it to find a
    file; the URL may be empty.
    """
    if not isinstance(custom, dict) or custom.get(TYPE) not in KINDS:
        return None
    plan_id, url = custom.get(PLAN_ID), custom.get(URL)
    valid = isinstance(plan_id, str) and is_plan_id(plan_id)
    return FilePayload(
        custom[TYPE], plan_id if valid else None, url if isinstance(url, str) else ""
    )


# --- button payloads of the plan list ------------------------------------------------------------
# A payload that starts with "/" skips NLU; it names an intent and entities. Who may act on which
# plan is decided by the sharing service from the sender id and the plan store, never from the
# plan id that a payload names (anyone can type '/switch_plan{"plan_id": "..."}').

#: the entity that a plan-list button carries
PLAN_ID_ENTITY = "plan_id"
#: "mijn plannen"
LIST_PLANS = "/list_plans"
#: "Naam wijzigen": asks for the new name
RENAME_PLAN = "/rename_plan"
#: "Nieuw plan"
START_PLAN = "/start_plan"
#: "Laat het plan zien"
SHOW_PLAN = "/show_plan"
#: "Verder met het concept": the planner goes on with the plan being drafted
CONTINUE_PLAN = "/continue_plan"


def switch_plan_payload(plan_id: str) -> str:
    """The button that makes one of the sender's plans current: '/switch_plan{"plan_id": "..."}'."""
    return "/switch_plan" + json.dumps({PLAN_ID_ENTITY: plan_id})


# --- button payloads of the owner's decision on a measure (issue 16) ---------------------------

CONFIRM_MEASURE = "confirm_measure"
REJECT_MEASURE = "reject_measure"
MEASURE_NUMBER = "measure_number"


def measure_decision(intent: str, number: int) -> str:
    """'/confirm_measure{"measure_number": "2"}': a button of the owner's Bevestigen/Afwijzen.

    The number only says which measure; whether the sender may decide is checked in the store.
    """
    if intent not in (CONFIRM_MEASURE, REJECT_MEASURE):
        raise ValueError(f"not a measure decision: {intent!r}")
    return f"/{intent}" + json.dumps({MEASURE_NUMBER: str(int(number))})
