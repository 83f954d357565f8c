"""Shared plans: the store that the bot's actions use. Returns frozen dataclasses, never ORM rows.

Every write is one short transaction. Plan-level writes lock the plan row (FOR UPDATE on
PostgreSQL; SQLite serialises all writers with BEGIN IMMEDIATE) so that concurrent partners
never lose each other's updates. Every query filters by plan_id: plans never mix.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.sharing import db
from knowledge.sharing.codes import find_code, new_join_code
from knowledge.sharing.models import (
    KINDS,
    STEPS,
    Contribution,
    Measurement,
    Participant,
    Plan,
    new_doc_token,
    utcnow,
)

CODE_ATTEMPTS = 5


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInfo:
    id: str
    code: str
    doc_token: str
    owner_sender: str
    status: str
    answers: dict[str, Any]
    state: dict[str, Any]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ParticipantInfo:
    id: int
    plan_id: str
    sender_id: str
    name: str
    organisation: str
    party: str
    role: str
    joined_at: datetime
    active: bool
    removed: bool = False  # beyond the spec: lets the bot say why a rejoin is refused


@dataclass(frozen=True)
class ContributionInfo:
    id: int
    plan_id: str
    participant_id: int
    author: str
    organisation: str
    party: str
    step: int
    kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class MeasurementInfo:
    id: int
    plan_id: str
    participant_id: int
    author: str
    indicator: str
    period: str
    period_key: str
    value: float
    created_at: datetime


# --- errors -------------------------------------------------------------------------------------


class SharingError(Exception):
    """A refused request; `reason` is a stable key for the caller, the message is for the user."""

    reason = "sharing_error"
    message = "Dat lukt niet met dit plan."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.reason = type(self).reason


class UnknownCode(SharingError):
    reason = "unknown_code"
    message = "Ik ken geen plan met die code. Kijk de code nog eens na."


class PlanClosed(SharingError):
    reason = "closed"
    message = "Dit plan is gesloten. Je kunt er niets meer aan veranderen."


class AlreadyMember(SharingError):
    reason = "already_member"
    message = "Je doet al mee met dit plan."


class NotParticipant(SharingError):
    reason = "not_participant"
    message = "Je doet niet (meer) mee met dit plan."


class NotOwner(SharingError):
    reason = "not_owner"
    message = "Alleen de maker van het plan kan dit doen."


class UnknownParticipant(SharingError):
    reason = "unknown_participant"
    message = "Die deelnemer hoort niet bij dit plan."


class OwnerCannotLeave(SharingError):
    reason = "owner_cannot_leave"
    message = "Je bent de maker van dit plan. Je kunt het niet verlaten, wel sluiten."


# --- conversions --------------------------------------------------------------------------------


def _plan_info(plan: Plan) -> PlanInfo:
    return PlanInfo(
        id=plan.id,
        code=plan.code,
        doc_token=plan.doc_token,
        owner_sender=plan.owner_sender,
        status=plan.status,
        answers=copy.deepcopy(plan.answers),
        state=copy.deepcopy(plan.state),
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def _active(p: Participant) -> bool:
    return p.left_at is None and not p.removed


def _participant_info(p: Participant) -> ParticipantInfo:
    return ParticipantInfo(
        id=p.id,
        plan_id=p.plan_id,
        sender_id=p.sender_id,
        name=p.name,
        organisation=p.organisation,
        party=p.party,
        role=p.role,
        joined_at=p.joined_at,
        active=_active(p),
        removed=p.removed,
    )


def _contribution_info(c: Contribution, author: Participant) -> ContributionInfo:
    return ContributionInfo(
        id=c.id,
        plan_id=c.plan_id,
        participant_id=c.participant_id,
        author=author.name,
        organisation=author.organisation,
        party=author.party,
        step=c.step,
        kind=c.kind,
        text=c.text,
        created_at=c.created_at,
    )


def _measurement_info(m: Measurement, author: Participant) -> MeasurementInfo:
    return MeasurementInfo(
        id=m.id,
        plan_id=m.plan_id,
        participant_id=m.participant_id,
        author=author.name,
        indicator=m.indicator,
        period=m.period,
        period_key=m.period_key,
        value=m.value,
        created_at=m.created_at,
    )


def _dict(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict, not {type(value).__name__}")
    return copy.deepcopy(value)


def _text(value: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError(f"{name} is empty")
    return value


_Lock = Literal["none", "share", "update"]


# --- store --------------------------------------------------------------------------------------


class SharedPlanStore:
    """Plans that several partners work on together, in a SQLite file or PostgreSQL."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or db.database_url()
        self.engine = db.make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close the pooled connections (a store is cheap to make again on the same URL)."""
        self.engine.dispose()

    def migrate(self) -> None:
        db.upgrade(self.engine)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # --- helpers (inside a transaction) ---

    @staticmethod
    def _lock(stmt: Select[Any], lock: _Lock) -> Select[Any]:
        if lock == "update":
            return stmt.with_for_update()
        if lock == "share":
            return stmt.with_for_update(read=True)
        return stmt

    def _plan(self, s: Session, plan_id: str, lock: _Lock = "none") -> Plan | None:
        return s.scalars(self._lock(select(Plan).where(Plan.id == plan_id), lock)).one_or_none()

    @staticmethod
    def _member(s: Session, plan_id: str, sender_id: str) -> Participant | None:
        stmt = select(Participant).where(
            Participant.plan_id == plan_id, Participant.sender_id == sender_id
        )
        return s.scalars(stmt).one_or_none()

    def _active_member(self, s: Session, plan_id: str, sender_id: str) -> Participant:
        member = self._member(s, plan_id, sender_id)
        if member is None or not _active(member):
            raise NotParticipant()
        return member

    def _owned_plan(self, s: Session, plan_id: str, sender_id: str) -> Plan:
        plan = self._plan(s, plan_id, "update")
        if plan is None or plan.owner_sender != sender_id:
            raise NotOwner()
        return plan

    def _writable_member(self, s: Session, plan_id: str, sender_id: str) -> Participant:
        # FOR SHARE: many partners write at once, but not while the plan itself changes.
        plan = self._plan(s, plan_id, "share")
        if plan is None:
            raise NotParticipant()
        member = self._active_member(s, plan_id, sender_id)
        if plan.status != "open":
            raise PlanClosed()
        member.last_active_at = utcnow()
        return member

    # --- plans ---

    def create_plan(self, owner_sender: str, answers: dict, state: dict) -> PlanInfo:
        """A new open plan with a fresh join code; the owner is its first participant."""
        answers, state = _dict(answers, "answers"), _dict(state, "state")
        for attempt in range(CODE_ATTEMPTS):
            try:
                with self._tx() as s:
                    now = utcnow()
                    plan = Plan(
                        code=new_join_code(),
                        owner_sender=owner_sender,
                        status="open",
                        answers=answers,
                        state=state,
                        created_at=now,
                        updated_at=now,
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
                    return _plan_info(plan)
            except IntegrityError:
                # A join code (or id) that already exists: astronomically rare, just try again.
                if attempt == CODE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    def update_plan(self, plan_id: str, sender_id: str, answers: dict, state: dict) -> PlanInfo:
        answers, state = _dict(answers, "answers"), _dict(state, "state")
        with self._tx() as s:
            plan = self._owned_plan(s, plan_id, sender_id)
            if plan.status != "open":
                raise PlanClosed()
            plan.answers = answers
            plan.state = state
            plan.updated_at = utcnow()
            s.flush()
            return _plan_info(plan)

    def get_plan(self, plan_id: str) -> PlanInfo | None:
        with self._tx() as s:
            plan = self._plan(s, plan_id)
            return _plan_info(plan) if plan else None

    def plan_by_code(self, code: str) -> PlanInfo | None:
        normalised = find_code(code)
        if normalised is None:
            return None
        with self._tx() as s:
            plan = s.scalars(select(Plan).where(Plan.code == normalised)).one_or_none()
            return _plan_info(plan) if plan else None

    def close_plan(self, plan_id: str, sender_id: str) -> PlanInfo:
        with self._tx() as s:
            plan = self._owned_plan(s, plan_id, sender_id)
            if plan.status != "closed":
                plan.status = "closed"
                plan.updated_at = utcnow()
            s.flush()
            return _plan_info(plan)

    # --- participants ---

    def participant(self, plan_id: str, sender_id: str) -> ParticipantInfo | None:
        with self._tx() as s:
            member = self._member(s, plan_id, sender_id)
            return _participant_info(member) if member else None

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
            return _participant_info(member) if member else None

    def touch(self, plan_id: str, sender_id: str) -> None:
        with self._tx() as s:
            self._active_member(s, plan_id, sender_id).last_active_at = utcnow()

    def join(
        self, code: str, sender_id: str, name: str, organisation: str, party: str
    ) -> ParticipantInfo:
        """Join the open plan with this code; someone who left may come back, a removed one not."""
        normalised = find_code(code)
        if normalised is None:
            raise UnknownCode()
        try:
            return self._join(normalised, sender_id, name, organisation, party)
        except IntegrityError:
            # The same sender joined at the very same moment from elsewhere: now a member.
            return self._join(normalised, sender_id, name, organisation, party)

    def _join(
        self, code: str, sender_id: str, name: str, organisation: str, party: str
    ) -> ParticipantInfo:
        with self._tx() as s:
            plan = s.scalars(
                self._lock(select(Plan).where(Plan.code == code), "share")
            ).one_or_none()
            if plan is None:
                raise UnknownCode()
            if plan.status != "open":
                raise PlanClosed()
            now = utcnow()
            member = self._member(s, plan.id, sender_id)
            if member is None:
                member = Participant(plan_id=plan.id, sender_id=sender_id, role="partner")
                s.add(member)
            elif member.removed:
                raise NotParticipant()
            elif member.left_at is None:
                raise AlreadyMember()
            member.name, member.organisation, member.party = (
                name.strip(),
                organisation.strip(),
                party.strip(),
            )
            member.joined_at = member.last_active_at = now
            member.left_at = None
            s.flush()
            return _participant_info(member)

    def set_profile(
        self, plan_id: str, sender_id: str, name: str, organisation: str, party: str
    ) -> ParticipantInfo:
        with self._tx() as s:
            member = self._active_member(s, plan_id, sender_id)
            member.name, member.organisation, member.party = (
                name.strip(),
                organisation.strip(),
                party.strip(),
            )
            s.flush()
            return _participant_info(member)

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
            return [_participant_info(p) for p in s.scalars(stmt)]

    def remove_participant(
        self, plan_id: str, owner_sender: str, participant_id: int
    ) -> ParticipantInfo:
        """The owner removes a partner for good; old document links stop working."""
        with self._tx() as s:
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
                plan.doc_token = new_doc_token()
                plan.updated_at = utcnow()
            s.flush()
            return _participant_info(member)

    def leave(self, plan_id: str, sender_id: str) -> None:
        with self._tx() as s:
            self._plan(s, plan_id, "share")
            member = self._active_member(s, plan_id, sender_id)
            if member.role == "owner":
                raise OwnerCannotLeave()
            member.left_at = utcnow()

    # --- contributions and measurements ---

    def add_contribution(
        self, plan_id: str, sender_id: str, step: int, kind: str, text: str
    ) -> ContributionInfo:
        if step not in STEPS:
            raise ValueError(f"step must be 1..6, not {step!r}")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        text = _text(text, "text")
        with self._tx() as s:
            member = self._writable_member(s, plan_id, sender_id)
            row = Contribution(
                plan_id=plan_id,
                participant_id=member.id,
                step=step,
                kind=kind,
                text=text,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return _contribution_info(row, member)

    def contributions(self, plan_id: str) -> list[ContributionInfo]:
        """In id order (the order in which they were added)."""
        with self._tx() as s:
            rows = s.execute(self._contributions(plan_id))
            return [_contribution_info(c, p) for c, p in rows]

    @staticmethod
    def _contributions(plan_id: str, after: int = 0) -> Select[Any]:
        return (
            select(Contribution, Participant)
            .join(Participant, Contribution.participant_id == Participant.id)
            .where(
                Contribution.plan_id == plan_id,
                Participant.plan_id == plan_id,
                Contribution.id > after,
            )
            .order_by(Contribution.id)
        )

    def add_measurement(
        self,
        plan_id: str,
        sender_id: str,
        indicator: str,
        period: str,
        period_key: str,
        value: float,
    ) -> MeasurementInfo:
        indicator, period = _text(indicator, "indicator"), _text(period, "period")
        period_key = _text(period_key, "period_key")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, not {value!r}")
        with self._tx() as s:
            member = self._writable_member(s, plan_id, sender_id)
            row = Measurement(
                plan_id=plan_id,
                participant_id=member.id,
                indicator=indicator,
                period=period,
                period_key=period_key,
                value=value,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return _measurement_info(row, member)

    def measurements(self, plan_id: str) -> list[MeasurementInfo]:
        """Ordered by period_key, then id."""
        with self._tx() as s:
            rows = s.execute(
                self._measurements(plan_id)
                .order_by(None)
                .order_by(Measurement.period_key, Measurement.id)
            )
            return [_measurement_info(m, p) for m, p in rows]

    @staticmethod
    def _measurements(plan_id: str, after: int = 0) -> Select[Any]:
        return (
            select(Measurement, Participant)
            .join(Participant, Measurement.participant_id == Participant.id)
            .where(
                Measurement.plan_id == plan_id,
                Participant.plan_id == plan_id,
                Measurement.id > after,
            )
            .order_by(Measurement.id)
        )

    def news_for(
        self, plan_id: str, sender_id: str, mark_seen: bool = True
    ) -> tuple[list[ContributionInfo], list[MeasurementInfo]]:
        """What the other participants added since this sender last looked (in id order)."""
        with self._tx() as s:
            # FOR UPDATE waits for writers that are still busy in this plan, so that no row with
            # a lower id can commit after we moved the marker past it (PostgreSQL).
            if self._plan(s, plan_id, "update" if mark_seen else "none") is None:
                raise NotParticipant()
            me = self._active_member(s, plan_id, sender_id)
            contributions = list(
                s.execute(self._contributions(plan_id, me.last_seen_contribution_id))
            )
            measurements = list(s.execute(self._measurements(plan_id, me.last_seen_measurement_id)))
            if mark_seen:
                if contributions:
                    me.last_seen_contribution_id = contributions[-1][0].id
                if measurements:
                    me.last_seen_measurement_id = measurements[-1][0].id
            return (
                [_contribution_info(c, p) for c, p in contributions if p.id != me.id],
                [_measurement_info(m, p) for m, p in measurements if p.id != me.id],
            )
