"""The plan store's foundation: sessions, row locks, access lookups and record conversions.

Every write is one short transaction. Plan-level writes lock the plan row (FOR UPDATE on
PostgreSQL; SQLite serialises all writers with BEGIN IMMEDIATE) so that concurrent partners
never lose each other's updates. Every query filters by plan_id: plans never mix.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.sharing import db
from knowledge.sharing.limits import MESSAGES, Limits
from knowledge.sharing.models import Contribution, Measurement, Participant, Plan, utcnow
from knowledge.sharing.records import (
    ContributionInfo,
    LimitReached,
    MeasurementInfo,
    NotOwner,
    NotParticipant,
    ParticipantInfo,
    PlanClosed,
    PlanInfo,
)

_Lock = Literal["none", "share", "update"]


def plan_info(plan: Plan) -> PlanInfo:
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
        code_created_at=plan.code_created_at or plan.created_at,
        name=plan.name or "",
    )


def is_active(p: Participant) -> bool:
    return p.left_at is None and not p.removed


def participant_info(p: Participant) -> ParticipantInfo:
    return ParticipantInfo(
        id=p.id,
        plan_id=p.plan_id,
        sender_id=p.sender_id,
        name=p.name,
        organisation=p.organisation,
        party=p.party,
        role=p.role,
        joined_at=p.joined_at,
        active=is_active(p),
        removed=p.removed,
    )


def contribution_info(c: Contribution, author: Participant) -> ContributionInfo:
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


def measurement_info(m: Measurement, author: Participant) -> MeasurementInfo:
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


class StoreBase:
    """Connection and helpers that the parts of ``SharedPlanStore`` share."""

    def __init__(self, url: str | None = None, limits: Limits | None = None) -> None:
        self.url = url or db.database_url()
        self.limits = limits or Limits.from_env()
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
        if member is None or not is_active(member):
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

    def _within(self, name: str, count: int) -> None:
        """Refuse with the limit's Dutch message when ``count`` rows already reach it."""
        limit = getattr(self.limits, name)
        if count >= limit:
            raise LimitReached(MESSAGES[name].format(limit=limit))
