"""The shared-plan service: the one entry point that actions and channels call.

It owns the use cases (share, join, contribute, measure, render, delete, remove, close, leave,
news and progress) and their rules: access from the server-side sender id and the store
(``access``), text cleaning and the personal-data refusal on every write (``guard``, applied
by the store), the limits and join-code throttles (``limits``, counted in the store), and typed
records in and out (``records``). A refusal is a ``SharingError`` whose text is for the user.

All methods are synchronous (they talk to the database and write files): async callers run them
in a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.goals import parse_measurement
from knowledge.nl.lexicon import Lexicon, lexicon_for
from knowledge.plan.files import PlanFiles
from knowledge.planning import PlanState
from knowledge.sharing import access
from knowledge.sharing.codes import find_code
from knowledge.sharing.contribute import contribution_problem, kind_of, stored_kind
from knowledge.sharing.guard import clean, refuse_personal_data
from knowledge.sharing.projects import Projects
from knowledge.sharing.records import (
    AlreadyMember,
    ContributionInfo,
    MeasurementInfo,
    Membership,
    ParticipantInfo,
    PlanInfo,
    TextRefused,
    UnknownParticipant,
)
from knowledge.sharing.rendering import Rendered, Renderer
from knowledge.sharing.store import SharedPlanStore
from knowledge.sharing.view import (
    MEASUREMENT_FORMAT,
    PAUSED_NOTE,
    code_note,
    party_label,
    summary_text,
)

ONLY_OWNER_SHARES = (
    "Alleen de eigenaar deelt de deelcode. Vraag de deelcode aan de eigenaar van het plan."
)
ONLY_OWNER_REMOVES = "Alleen de eigenaar kan deelnemers verwijderen."
ONLY_OWNER_CLOSES = (
    "Alleen de eigenaar kan het plan sluiten. Wil je zelf stoppen? Zeg 'ik stap uit het plan'."
)
ALREADY_IN = "Je doet al mee aan dit plan. Zeg 'laat het plan zien' om het te bekijken."


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeInfo:
    """The owner's join code: until when it works, and whether joining is paused."""

    code: str
    expires: datetime
    paused: bool


@dataclass(frozen=True)
class Joined:
    participant: ParticipantInfo
    owner_name: str
    party_label: str


@dataclass(frozen=True)
class PlanView:
    """The shared plan as this sender sees it: the files are the same for everyone."""

    rendered: Rendered
    summary: str

    @property
    def doc_token(self) -> str:
        return self.rendered.doc_token

    @property
    def chart(self) -> Path | None:
        return self.rendered.chart


@dataclass(frozen=True)
class Measured:
    measurement: MeasurementInfo
    lines: list[str]  # progress of this indicator (or of all, when it has none of its own)
    doc_token: str


@dataclass(frozen=True)
class Progress:
    lines: list[str]
    goal: str
    doc_token: str
    charted: bool


@dataclass(frozen=True)
class News:
    contributions: list[ContributionInfo]
    measurements: list[MeasurementInfo]
    others_added_before: bool  # others added something earlier (nothing new since then)
    owner_notes: list[str]


# --- service ------------------------------------------------------------------------------------


class SharingService:
    """Use cases of shared plans for one sender at a time (the sender id comes from the channel)."""

    def __init__(
        self,
        store: SharedPlanStore,
        documents: PlanFiles | None = None,
        catalogue: Callable[[], Catalogue] = load_catalogue,
        lexicon: Callable[[], Lexicon] | None = None,
    ) -> None:
        self.store = store
        self._catalogue = catalogue
        self.projects = Projects(store, catalogue)  # names, list and switch (projects.py)
        self.renderer = Renderer(
            store,
            documents or PlanFiles(),
            catalogue,
            lexicon or (lambda: lexicon_for(self._catalogue())),
        )

    # --- who the sender is ---

    def current(self, sender: str) -> Membership | None:
        return access.current(self.store, sender)

    def membership(self, sender: str) -> Membership:
        """The sender's current plan; ``NoPlan`` when they take part in none."""
        return access.member(self.store, sender)

    def open_membership(self, sender: str) -> Membership:
        """The sender's current plan when it is still open (``PlanClosed`` otherwise)."""
        return access.writable(self.membership(sender))

    def ownership(self, sender: str, refusal: str | None = None) -> Membership:
        """The sender's current plan when they own it; a partner is refused with ``refusal``."""
        return access.owner(self.store, sender, refusal)

    # --- the owner's own plan ---

    def save_owned(self, sender: str, answers: dict[str, Any], state: PlanState) -> PlanInfo:
        """Update the sender's own open plan, else create a new one.

        A plan id from the conversation is only reused when the store says this sender owns it
        (a slot can be set by typing '/intent{...}').
        """
        existing = self.store.get_plan(state.plan_id) if state.plan_id else None
        if existing and existing.owner_sender == sender and existing.status == "open":
            saved = self.store.update_plan(existing.id, sender, answers, state.to_dict())
        else:
            state.plan_id = None
            name = self.projects.proposed_name(answers, datetime.now(UTC))
            saved = self.store.create_plan(sender, answers, state.to_dict(), name)
        self.store.touch(saved.id, sender)  # the plan just worked on is the sender's current plan
        return saved

    def render_plan(self, plan_id: str) -> Rendered:
        """Write the Word file (and plot) of a plan (for its owner right after saving)."""
        return self.renderer.render(plan_id)

    # --- join codes ---

    def share(self, sender: str) -> CodeInfo | None:
        """The owner's join code; None while the owner has not said who they are."""
        me = access.owner(self.store, sender, ONLY_OWNER_SHARES)
        if not me.participant.name:
            return None
        self.store.touch(me.plan.id, sender)
        return self._code(me.plan)

    def set_owner_profile(
        self, sender: str, name: str, organisation: str, party: str
    ) -> tuple[ParticipantInfo, CodeInfo]:
        me = access.owner(self.store, sender)
        party = self._party(party)
        profile = self.store.set_profile(me.plan.id, sender, name, organisation, party)
        return profile, self._code(me.plan)

    def new_code(self, sender: str) -> CodeInfo:
        """A new join code for the owner's plan: the old one stops working, a pause ends."""
        me = access.owner(self.store, sender, "Alleen de eigenaar kan een nieuwe deelcode maken.")
        return self._code(self.store.new_code(me.plan.id, sender))

    def _code(self, plan: PlanInfo) -> CodeInfo:
        return CodeInfo(
            plan.code, self.store.code_expires_at(plan), self.store.joining_paused(plan.id)
        )

    def owner_notes(self, membership: Membership) -> list[str]:
        """What only the owner reads with the plan: the code, and a pause of joining."""
        if not membership.is_owner or membership.plan.status != "open":
            return []
        code = self._code(membership.plan)
        notes = [code_note(code.code, code.expires)]
        if code.paused:
            notes.append(PAUSED_NOTE)
        return notes

    # --- joining ---

    def check_join(self, sender: str, text: str) -> str | None:
        """The join code in ``text`` when this sender may join with it; None when none is given.

        Asked before the profile questions; refusals (unknown, expired, closed, too many tries,
        paused) raise with their Dutch text, and failures are counted in the store.
        """
        if find_code(text or "") is None:
            return None
        try:
            return self.store.check_join(text, sender).code
        except AlreadyMember:
            plan = self.store.plan_by_code(text)
            if plan is not None:
                self.store.touch(plan.id, sender)
            raise AlreadyMember(ALREADY_IN) from None

    def join(self, sender: str, code: str, name: str, organisation: str, party: str) -> Joined:
        party = self._party(party)
        joined = self.store.join(code, sender, name, organisation, party)
        owner = next(p for p in self.store.participants(joined.plan_id) if p.role == "owner")
        label = party_label(self._catalogue(), party) if party else "partner"
        return Joined(joined, owner.name or "de eigenaar", label)

    def _party(self, party: str) -> str:
        """One of the report's parties, or '' ('anders', or a forged slot value)."""
        return party if party in self._catalogue().vocabulary.parties else ""

    # --- contributions ---

    def contribute(self, sender: str, step: int, kind: str | None, text: str) -> ContributionInfo:
        """Store one contribution of the sender to their current open plan."""
        me = access.writable(self.membership(sender))
        text = clean(text)
        refuse_personal_data(text)
        problem = contribution_problem(text)
        if problem:  # too short or too long
            raise TextRefused(problem)
        final_kind = stored_kind(step, kind or kind_of(text), me.is_owner)
        return self.store.add_contribution(me.plan.id, sender, step, final_kind, text)

    def deletable(self, sender: str) -> list[ContributionInfo]:
        """What the sender may delete, newest first: the owner everything, a partner their own."""
        me = access.writable(self.membership(sender))
        found = self.store.contributions(me.plan.id)
        if not me.is_owner:
            found = [c for c in found if c.participant_id == me.participant.id]
        return found[::-1]

    def delete_contribution(self, sender: str, contribution_id: int) -> ContributionInfo:
        """Delete it from the plan, and write the Word file again without it."""
        me = self.membership(sender)
        deleted = self.store.delete_contribution(me.plan.id, sender, contribution_id)
        self.renderer.render(me.plan.id)
        return deleted

    # --- measurements and progress ---

    def measure(self, sender: str, text: str) -> Measured:
        """Store a measurement typed as 'winkeldiefstallen Q1 2027: 42', with progress and plot."""
        me = access.writable(self.membership(sender))
        text = clean(text)
        refuse_personal_data(text)
        measured = parse_measurement(text)
        if measured is None:
            raise TextRefused(MEASUREMENT_FORMAT)
        saved = self.store.add_measurement(
            me.plan.id,
            sender,
            measured.indicator,
            measured.period,
            measured.period_key,
            measured.value,
        )
        report = self.renderer.progress(me.plan, self.store.measurements(me.plan.id))
        self.renderer.chart(me.plan.doc_token, report)
        mine = [line for line in report.lines if saved.indicator.lower() in line.lower()]
        return Measured(saved, mine or report.lines, me.plan.doc_token)

    def progress(self, sender: str) -> Progress:
        me = self.membership(sender)
        measurements = self.store.measurements(me.plan.id)
        goal = str(me.plan.answers.get("plan_goal") or "")
        if not measurements:
            return Progress([], goal, me.plan.doc_token, charted=False)
        report = self.renderer.progress(me.plan, measurements)
        self.renderer.chart(me.plan.doc_token, report)
        return Progress(report.lines, goal, me.plan.doc_token, charted=True)

    # --- reading the plan ---

    def view(self, sender: str) -> PlanView:
        """The current shared plan: the same files for everyone, the code only for the owner."""
        me = self.membership(sender)
        rendered = self.renderer.render(me.plan.id)
        return PlanView(rendered, summary_text(rendered.plan, self.owner_notes(me)))

    def news(self, sender: str) -> News:
        """What the others added since the sender last asked."""
        me = self.membership(sender)
        contributions, measurements = self.store.news_for(me.plan.id, sender)
        before = False
        if not contributions and not measurements:
            everything = self.store.contributions(me.plan.id)
            before = any(c.participant_id != me.participant.id for c in everything)
        return News(contributions, measurements, before, self.owner_notes(me)[1:])

    # --- the owner decides ---

    def partners(self, sender: str) -> list[ParticipantInfo]:
        me = access.owner(self.store, sender, ONLY_OWNER_REMOVES)
        return [p for p in self.store.participants(me.plan.id) if p.role != "owner"]

    def remove(self, sender: str, participant_id: int) -> ParticipantInfo:
        """Remove a partner for good: the join code and the download link change."""
        me = access.owner(self.store, sender, ONLY_OWNER_REMOVES)
        if participant_id not in {p.id for p in self.partners(sender)}:
            raise UnknownParticipant()
        removed = self.store.remove_participant(me.plan.id, sender, participant_id)
        self.renderer.forget(me.plan.doc_token)  # the old download link stops working
        return removed

    def close(self, sender: str) -> Rendered:
        """Close the plan for good and write its final version."""
        me = access.owner(self.store, sender, ONLY_OWNER_CLOSES)
        access.writable(me)
        self.store.close_plan(me.plan.id, sender)
        return self.renderer.render(me.plan.id)

    def leave(self, sender: str) -> None:
        """A partner stops; what they added stays. The owner cannot leave (``OwnerCannotLeave``)."""
        self.store.leave(self.membership(sender).plan.id, sender)


# --- one service per process ----------------------------------------------------------------------

_lock = threading.Lock()


@cache
def _service() -> SharingService:
    store = SharedPlanStore()
    store.migrate()
    return SharingService(store)


def sharing_service() -> SharingService:
    """The process's service on the configured store (migrated on first use)."""
    with _lock:
        return _service()


def reset_sharing_service() -> None:
    """Close the store and forget the service (tests, or after the settings changed)."""
    with _lock:
        if _service.cache_info().currsize:
            _service().store.close()
        _service.cache_clear()


__all__ = [
    "CodeInfo",
    "Joined",
    "Measured",
    "News",
    "PlanView",
    "Progress",
    "SharingService",
    "reset_sharing_service",
    "sharing_service",
]
