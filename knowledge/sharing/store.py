"""Shared plans: the store that the sharing service uses. Returns frozen records, never ORM rows.

Plans and participants are here; contributions, measurements and news in ``entries``; sessions,
locks and conversions in ``base``. Join codes belong to the owner: they expire, change when the
owner removes someone or asks for a new one, and failed joins are counted here (per client and
per plan), so the limits survive restarts and hold for every process.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.plan.files import new_plan_id
from knowledge.sharing.base import is_active, participant_info, plan_info
from knowledge.sharing.codes import find_code, new_join_code
from knowledge.sharing.entries import EntriesMixin
from knowledge.sharing.guard import clean, refuse_personal_data, stored_answers
from knowledge.sharing.models import JoinFailure, Participant, Plan, utcnow
from knowledge.sharing.projects_store import ProjectsMixin
from knowledge.sharing.records import (
    AlreadyMember,
    CodeExpired,
    JoiningPaused,
    NotParticipant,
    OwnerCannotLeave,
    ParticipantInfo,
    PlanClosed,
    PlanInfo,
    SharingError,
    TooManyAttempts,
    UnknownCode,
    UnknownParticipant,
)

CODE_ATTEMPTS = 5
T = TypeVar("T")
FAILURES_KEPT = timedelta(days=1)  # older failed joins count for nothing and are deleted
REMOVED = "De eigenaar heeft je uit dit plan gehaald. Je kunt niet meer meedoen met dit plan."


class _Refused(Exception):
    """A join refused inside the transaction; the failure is recorded after it (own commit)."""

    def __init__(self, error: SharingError, plan_id: str | None, counts: bool = True) -> None:
        super().__init__(str(error))
        self.error, self.plan_id, self.counts = error, plan_id, counts


class SharedPlanStore(ProjectsMixin, EntriesMixin):
    """Plans that several partners work on together, in a SQLite file or PostgreSQL."""

    # --- plans ---

    def create_plan(
        self, owner_sender: str, answers: dict, state: dict, name: str | None = None
    ) -> PlanInfo:
        """A new open plan with a fresh join code; the owner is its first participant.

        ``name`` is proposed by the caller; it is cleaned and made unique among the sender's
        plans here ("Plan van <date>" when none is given).
        """
        answers, state = stored_answers(answers), _state(state)

        def create(s: Session) -> PlanInfo:
            owned = s.scalar(
                select(func.count()).select_from(Plan).where(Plan.owner_sender == owner_sender)
            )
            self._within("plans_per_sender", owned or 0)
            now = utcnow()
            plan = Plan(
                code=new_join_code(),
                owner_sender=owner_sender,
                status="open",
                answers=answers,
                state=state,
                created_at=now,
                updated_at=now,
                code_created_at=now,
                name=self._free_name(s, owner_sender, name, now),
            )
            s.add(plan)
            s.flush()
            s.add(
                Participant(
                    plan_id=plan.id,
                    sender_id=owner_sender,
                    role="owner",
                    joined_at=now,
                    last_active_at=now,
                )
            )
            s.flush()
            return plan_info(plan)

        return self._with_new_code(create)

    def update_plan(self, plan_id: str, sender_id: str, answers: dict, state: dict) -> PlanInfo:
        answers, state = stored_answers(answers), _state(state)
        with self._tx() as s:
            plan = self._owned_plan(s, plan_id, sender_id)
            if plan.status != "open":
                raise PlanClosed()
            plan.answers = answers
            plan.state = state
            plan.updated_at = utcnow()
            s.flush()
            return plan_info(plan)

    def get_plan(self, plan_id: str) -> PlanInfo | None:
        with self._tx() as s:
            plan = self._plan(s, plan_id)
            return plan_info(plan) if plan else None

    def plan_by_code(self, code: str) -> PlanInfo | None:
        normalised = find_code(code)
        if normalised is None:
            return None
        with self._tx() as s:
            plan = s.scalars(select(Plan).where(Plan.code == normalised)).one_or_none()
            return plan_info(plan) if plan else None

    def close_plan(self, plan_id: str, sender_id: str) -> PlanInfo:
        with self._tx() as s:
            plan = self._owned_plan(s, plan_id, sender_id)
            if plan.status != "closed":
                plan.status = "closed"
                plan.updated_at = utcnow()
            s.flush()
            return plan_info(plan)

    def new_code(self, plan_id: str, sender_id: str) -> PlanInfo:
        """The owner's plan gets a new join code: the old one stops working, a pause ends."""

        def renew(s: Session) -> PlanInfo:
            plan = self._owned_plan(s, plan_id, sender_id)
            if plan.status != "open":
                raise PlanClosed()
            self._rotate_code(plan)
            s.flush()
            return plan_info(plan)

        return self._with_new_code(renew)

    def _with_new_code(self, write: Callable[[Session], T]) -> T:
        """Run a transaction that makes a join code; a code that exists already means: again."""
        for attempt in range(CODE_ATTEMPTS):
            try:
                with self._tx() as s:
                    return write(s)
            except IntegrityError:
                # A join code (or id) that already exists: astronomically rare, just try again.
                if attempt == CODE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _rotate_code(plan: Plan) -> None:
        plan.code = new_join_code()
        plan.code_created_at = plan.updated_at = utcnow()

    # --- participants ---

    def participant(self, plan_id: str, sender_id: str) -> ParticipantInfo | None:
        with self._tx() as s:
            member = self._member(s, plan_id, sender_id)
            return participant_info(member) if member else None

    def current_participation(self, sender_id: str) -> ParticipantInfo | None:
        """The sender's active participation that was used last: their "current plan"."""
        stmt = (
            select(Participant)
            .where(
                Participant.sender_id == sender_id,
                Participant.left_at.is_(None),
                Participant.removed.is_(False),
            )
            .order_by(Participant.last_active_at.desc(), Participant.id.desc())
            .limit(1)
        )
        with self._tx() as s:
            member = s.scalars(stmt).one_or_none()
            return participant_info(member) if member else None

    def touch(self, plan_id: str, sender_id: str) -> None:
        with self._tx() as s:
            self._active_member(s, plan_id, sender_id).last_active_at = utcnow()

    def set_profile(
        self, plan_id: str, sender_id: str, name: str, organisation: str, party: str
    ) -> ParticipantInfo:
        name, organisation, party = _profile(name, organisation, party)
        with self._tx() as s:
            member = self._active_member(s, plan_id, sender_id)
            member.name, member.organisation, member.party = name, organisation, party
            s.flush()
            return participant_info(member)

    def participants(self, plan_id: str, active_only: bool = True) -> list[ParticipantInfo]:
        """Owner first, then in join order."""
        stmt = (
            select(Participant)
            .where(Participant.plan_id == plan_id)
            .order_by(
                case((Participant.role == "owner", 0), else_=1),
                Participant.joined_at,
                Participant.id,
            )
        )
        if active_only:
            stmt = stmt.where(Participant.left_at.is_(None), Participant.removed.is_(False))
        with self._tx() as s:
            return [participant_info(p) for p in s.scalars(stmt)]

    def remove_participant(
        self, plan_id: str, owner_sender: str, participant_id: int
    ) -> ParticipantInfo:
        """The owner removes a partner for good; the join code and document links change."""

        def remove(s: Session) -> ParticipantInfo:
            plan = self._owned_plan(s, plan_id, owner_sender)
            member = s.scalars(
                select(Participant).where(
                    Participant.plan_id == plan_id, Participant.id == participant_id
                )
            ).one_or_none()
            if member is None or member.role == "owner":
                raise UnknownParticipant()
            if not member.removed:
                member.removed = True
                plan.doc_token = new_plan_id()  # a new download name; old links stop working
                self._rotate_code(plan)
            s.flush()
            return participant_info(member)

        return self._with_new_code(remove)

    def leave(self, plan_id: str, sender_id: str) -> None:
        with self._tx() as s:
            self._plan(s, plan_id, "share")
            member = self._active_member(s, plan_id, sender_id)
            if member.role == "owner":
                raise OwnerCannotLeave()
            member.left_at = utcnow()

    # --- joining ---

    def check_join(self, code: str, sender_id: str) -> PlanInfo:
        """The plan this sender may join with ``code`` (nothing is written but a failure).

        Refused like :meth:`join`; asked before the profile questions, so that nobody types
        their name for a code that does not work.
        """
        normalised = self._code_for(code, sender_id)
        try:
            with self._tx() as s:
                plan, _member = self._admit(s, normalised, sender_id)
                return plan_info(plan)
        except _Refused as refused:
            raise self._failed(sender_id, refused) from None

    def join(
        self, code: str, sender_id: str, name: str, organisation: str, party: str
    ) -> ParticipantInfo:
        """Join the open plan with this code; someone who left may come back, a removed one not.

        Refused after too many failed joins of this client (``TooManyAttempts``) or aimed at
        this plan (``JoiningPaused``); an expired code raises ``CodeExpired``.
        """
        name, organisation, party = _profile(name, organisation, party)
        normalised = self._code_for(code, sender_id)
        for attempt in range(2):
            try:
                with self._tx() as s:
                    plan, member = self._admit(s, normalised, sender_id)
                    if member is None:
                        member = Participant(plan_id=plan.id, sender_id=sender_id, role="partner")
                        s.add(member)
                    member.name, member.organisation, member.party = name, organisation, party
                    member.joined_at = member.last_active_at = utcnow()
                    member.left_at = None
                    s.flush()
                    return participant_info(member)
            except _Refused as refused:
                raise self._failed(sender_id, refused) from None
            except IntegrityError:
                # The same sender joined at the very same moment from elsewhere: now a member.
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def _code_for(self, code: str, sender_id: str) -> str:
        if self.join_failures(sender_id) >= self.limits.join_failures_per_sender:
            raise TooManyAttempts()
        normalised = find_code(code)
        if normalised is None:
            raise UnknownCode()
        return normalised

    def _failed(self, sender_id: str, refused: _Refused) -> SharingError:
        if refused.counts:
            self._record_failure(sender_id, refused.plan_id)
        return refused.error

    def _admit(self, s: Session, code: str, sender_id: str) -> tuple[Plan, Participant | None]:
        """The plan with this code and the sender's earlier membership, when joining is allowed."""
        plan = s.scalars(self._lock(select(Plan).where(Plan.code == code), "share")).one_or_none()
        if plan is None:
            raise _Refused(UnknownCode(), self._guessed_plan(s, code))
        if plan.status != "open":
            raise _Refused(
                PlanClosed("Dit plan is gesloten; meedoen kan niet meer."), plan.id, False
            )
        member = self._member(s, plan.id, sender_id)
        if member is not None and member.removed:
            raise _Refused(NotParticipant(REMOVED), plan.id)
        if member is not None and is_active(member):
            raise _Refused(AlreadyMember(), plan.id, counts=False)
        now = utcnow()
        if self._paused(s, plan, now):
            raise _Refused(JoiningPaused(), plan.id, counts=False)
        if now - (plan.code_created_at or plan.created_at) > self.limits.join_code_age:
            raise _Refused(CodeExpired(), plan.id)
        return plan, member

    @staticmethod
    def _guessed_plan(s: Session, code: str) -> str | None:
        """The plan whose code shares one half with a wrong code: someone guesses the rest."""
        first, _, second = code.partition("-")
        found = s.scalars(
            select(Plan.id)
            .where(or_(Plan.code.startswith(f"{first}-"), Plan.code.endswith(f"-{second}")))
            .limit(2)
        ).all()
        return found[0] if len(found) == 1 else None

    def _since(self, now: datetime) -> datetime:
        return now - self.limits.join_failure_window

    def _paused(self, s: Session, plan: Plan, now: datetime) -> bool:
        since = max(self._since(now), plan.code_created_at or plan.created_at)
        failures = s.scalar(
            select(func.count())
            .select_from(JoinFailure)
            .where(JoinFailure.plan_id == plan.id, JoinFailure.created_at >= since)
        )
        return (failures or 0) >= self.limits.join_failures_per_plan

    def _record_failure(self, sender_id: str, plan_id: str | None) -> None:
        with self._tx() as s:
            now = utcnow()
            s.execute(delete(JoinFailure).where(JoinFailure.created_at < now - FAILURES_KEPT))
            s.add(JoinFailure(sender_id=sender_id, plan_id=plan_id, created_at=now))

    def join_failures(self, sender_id: str) -> int:
        """Failed joins of this client within the window."""
        with self._tx() as s:
            count = s.scalar(
                select(func.count())
                .select_from(JoinFailure)
                .where(
                    JoinFailure.sender_id == sender_id,
                    JoinFailure.created_at >= self._since(utcnow()),
                )
            )
            return count or 0

    def joining_paused(self, plan_id: str) -> bool:
        """True while too many failed joins aimed at this plan (until a new code or the window)."""
        with self._tx() as s:
            plan = self._plan(s, plan_id)
            return plan is not None and self._paused(s, plan, utcnow())

    def code_expires_at(self, plan: PlanInfo) -> datetime:
        return (plan.code_created_at or plan.created_at) + self.limits.join_code_age


def _state(value: object) -> dict:
    """The planner's own bookkeeping (chosen methods, step): machine data, copied as it is."""
    if not isinstance(value, dict):
        raise TypeError(f"state must be a dict, not {type(value).__name__}")
    return copy.deepcopy(value)


def _profile(name: str, organisation: str, party: str) -> tuple[str, str, str]:
    """A participant's own name, organisation and party, cleaned; no residents' data."""
    organisation = clean(organisation)
    refuse_personal_data(organisation)
    return clean(name), organisation, clean(party)
