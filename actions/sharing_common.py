"""Shared-plan helpers for the actions: the store, who the sender is in which plan, documents.

Access is always decided here from ``tracker.sender_id`` (set by the channel) and the store;
slot values and entities are only wishes, because a user can type '/intent{"slot": ...}'.
"""

from __future__ import annotations

import asyncio
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import catalogue, entity_values, lexicon, public_url
from knowledge.chart import progress_chart_png
from knowledge.docx_export import write_docx
from knowledge.plan.files import PlanFiles
from knowledge.plan.model import Plan
from knowledge.sharing import SharedPlanStore, SharingError
from knowledge.sharing.view import ProgressReport, progress_report, shared_plan

T = TypeVar("T")

NOT_IN_PLAN = (
    "Je doet nog niet mee aan een gezamenlijk plan. Maak een plan met 'ik wil een plan maken', "
    "of doe mee met de deelcode die je kreeg: 'ik wil meedoen met plan K7QM-4MXZ'."
)
CLOSED = "Dit plan is gesloten. Je kunt het nog bekijken en downloaden, maar niet meer aanvullen."
ERRORS = {
    "unknown_code": "Die deelcode ken ik niet. Controleer de code en probeer het opnieuw.",
    "closed": CLOSED,
    "already_member": "Je doet al mee aan dit plan.",
    "not_participant": "Je doet niet (meer) mee aan dit plan.",
    "not_owner": "Dat kan alleen de eigenaar van het plan.",
    "unknown_participant": "Die deelnemer vind ik niet in dit plan.",
    "owner_cannot_leave": "Als eigenaar kun je niet uitstappen. Je kunt het plan wel sluiten.",
}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _store() -> SharedPlanStore:
    store = SharedPlanStore()
    store.migrate()
    return store


def store() -> SharedPlanStore:
    """One store per action server; the schema is migrated on first use."""
    with _lock:
        return _store()


async def db(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a store call in a worker thread so a waiting writer never blocks the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def error_text(error: SharingError) -> str:
    return ERRORS.get(getattr(error, "reason", ""), "Dat lukte niet. Probeer het opnieuw.")


def confirmed(tracker: Tracker) -> bool:
    """The confirmation button ('{"confirm": "ja"}') of a step that cannot be undone."""
    return "ja" in [str(v).lower() for v in entity_values(tracker, "confirm")]


def documents() -> PlanFiles:
    return PlanFiles()


async def current(tracker: Tracker, dispatcher: CollectingDispatcher) -> tuple[Any, Any] | None:
    """(participant, plan) of the sender's current shared plan; tells the user when there is none."""
    participant = await db(store().current_participation, tracker.sender_id)
    plan = await db(store().get_plan, participant.plan_id) if participant else None
    if participant is None or plan is None:
        dispatcher.utter_message(
            text=NOT_IN_PLAN,
            buttons=[{"title": "Plan maken", "payload": "/start_plan"}],
        )
        return None
    return participant, plan


def report_for(plan: Any, measurements: list[Any]) -> ProgressReport:
    """Progress of the measured indicators towards the plan's SMART goal."""
    return progress_report(plan.answers.get("plan_goal", ""), measurements, lexicon())


def render(plan_id: str) -> tuple[Plan, Path, Path | None]:
    """Build the shared plan from the store and write its DOCX (and plot, when measured).

    Synchronous: call through ``db``. Every participant gets the same files.
    """
    s = store()
    info = s.get_plan(plan_id)
    participants = s.participants(plan_id)
    contributions = s.contributions(plan_id)
    measurements = s.measurements(plan_id)
    report = report_for(info, measurements)
    chart = write_chart(info.doc_token, report) if measurements else None
    plan = shared_plan(catalogue(), info, participants, contributions, measurements, report, chart)
    path = write_docx(plan, documents().root / f"{info.doc_token}.docx")
    if s.get_plan(plan_id).doc_token != info.doc_token:
        # The owner removed someone while this was written: the old link must stay dead.
        documents().remove(info.doc_token)
        return render(plan_id)
    return plan, path, chart


def write_chart(doc_token: str, report: ProgressReport) -> Path:
    """The plot of the measurements, next to the plan's DOCX (sync: call through ``db``)."""
    target = documents().chart_path(doc_token)
    target.parent.mkdir(parents=True, exist_ok=True)
    return progress_chart_png(report.series, report.targets, target, title="Voortgang van het plan")


def plan_url(doc_token: str) -> str:
    return f"{public_url()}/plans/{doc_token}.docx"


def send_document(dispatcher: CollectingDispatcher, doc_token: str, text: str) -> None:
    url = plan_url(doc_token)
    dispatcher.utter_message(
        text=f"{text} {url}", custom={"type": "plan", "plan_id": doc_token, "url": url}
    )


def send_chart(dispatcher: CollectingDispatcher, doc_token: str) -> None:
    url = f"{public_url()}/plans/{doc_token}.png"
    dispatcher.utter_message(
        text=f"Grafiek van de metingen: {url}",
        custom={"type": "chart", "plan_id": doc_token, "url": url},
    )


class SharedPlanAction(Action, ABC):
    """An action on the sender's current shared plan.

    Whether the sender takes part (and, where asked, is the owner and the plan still open) is
    checked here, once, from the sender id and the store.
    """

    action_name: str
    owner_only: str | None = None  # the refusal for a partner; None: any participant may
    needs_open = False  # refuse on a closed plan

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        found = await current(tracker, dispatcher)
        if found is None:
            return []
        participant, plan = found
        if self.owner_only and participant.role != "owner":
            dispatcher.utter_message(text=self.owner_only)
            return []
        if self.needs_open and plan.status == "closed":
            dispatcher.utter_message(text=CLOSED)
            return []
        return await self.act(dispatcher, tracker, participant, plan)

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, participant: Any, plan: Any
    ) -> list[dict[str, Any]]:
        """What the action does once access is settled."""


class JoinThrottle:
    """Refuse join attempts after too many wrong codes, so codes cannot be guessed by trying.

    Per sender only: a shared limit would let one person block joining for everyone.
    """

    def __init__(self, per_sender: int = 5, window: float = 600.0):
        self.per_sender, self.window = per_sender, window
        self._failures: dict[str, deque[float]] = {}

    def _trim(self, times: deque[float], now: float) -> deque[float]:
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, sender: str) -> bool:
        now = time.monotonic()
        return len(self._trim(self._failures.get(sender, deque()), now)) >= self.per_sender

    def failed(self, sender: str) -> None:
        now = time.monotonic()
        self._failures.setdefault(sender, deque()).append(now)


join_throttle = JoinThrottle()
