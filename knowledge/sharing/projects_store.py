"""The plan store's projects part: plan names and the plans a sender takes part in.

A sender can own several plans and take part in several shared plans at once; each active
participation stays (joining another plan drops nothing). Names are unique among the plans a
sender takes part in (a number is added), and the database keeps them unique per owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from knowledge.sharing.base import StoreBase, participant_info, plan_info
from knowledge.sharing.guard import refuse_personal_data
from knowledge.sharing.models import Contribution, Measurement, Participant, Plan, utcnow
from knowledge.sharing.naming import dated_name, tidy_name, unique_name
from knowledge.sharing.records import Membership, PlanClosed, PlanInfo, TextRefused

EMPTY_NAME = "Die naam kan ik niet gebruiken. Kies een naam van minstens twee letters."


@dataclass(frozen=True)
class PlanEntry:
    """One plan in a sender's list: their part in it, and when anyone last changed it."""

    membership: Membership
    last_change: datetime


class ProjectsMixin(StoreBase):
    """Names and lists of plans of ``SharedPlanStore``."""

    def plan_names(self, sender_id: str, s: Session | None = None, but: str = "") -> list[str]:
        """Names of the plans the sender owns or takes part in (except plan ``but``)."""
        stmt = (
            select(Plan.name)
            .join(Participant, Participant.plan_id == Plan.id)
            .where(
                Participant.sender_id == sender_id,
                Participant.left_at.is_(None),
                Participant.removed.is_(False),
                Plan.id != but,
            )
        )
        owned = select(Plan.name).where(Plan.owner_sender == sender_id, Plan.id != but)
        if s is not None:
            return [n for n in [*s.scalars(stmt), *s.scalars(owned)] if n]
        with self._tx() as session:
            return self.plan_names(sender_id, session, but)

    def _free_name(
        self, s: Session, sender: str, wanted: str | None, now: datetime, plan_id: str = ""
    ) -> str:
        """``wanted`` cleaned and free among the sender's other plans (personal data refused)."""
        name = tidy_name(wanted) or dated_name(now)
        refuse_personal_data(name)
        return unique_name(name, self.plan_names(sender, s, but=plan_id))

    def rename_plan(self, plan_id: str, sender_id: str, name: str) -> PlanInfo:
        """The owner gives an open plan another name (cleaned, unique among their plans)."""
        if not tidy_name(name):
            raise TextRefused(EMPTY_NAME)
        for attempt in range(2):
            try:
                with self._tx() as s:
                    plan = self._owned_plan(s, plan_id, sender_id)
                    if plan.status != "open":
                        raise PlanClosed()
                    plan.name = self._free_name(s, sender_id, name, utcnow(), plan.id)
                    plan.updated_at = utcnow()
                    s.flush()
                    return plan_info(plan)
            except IntegrityError:
                # The same owner took this name at the very same moment elsewhere: choose again.
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def plan_entries(self, sender_id: str) -> list[PlanEntry]:
        """Every plan the sender takes part in now (owned and shared), last changed first."""
        stmt = (
            select(Participant, Plan)
            .join(Plan, Plan.id == Participant.plan_id)
            .where(
                Participant.sender_id == sender_id,
                Participant.left_at.is_(None),
                Participant.removed.is_(False),
            )
        )
        with self._tx() as s:
            rows = s.execute(stmt).all()
            ids = [plan.id for _member, plan in rows]
            latest: dict[str, datetime] = {}
            for table in (Contribution, Measurement):
                found = s.execute(
                    select(table.plan_id, func.max(table.created_at))
                    .where(table.plan_id.in_(ids))
                    .group_by(table.plan_id)
                ).all()
                for plan_id, moment in found:
                    if moment is not None and (plan_id not in latest or moment > latest[plan_id]):
                        latest[plan_id] = moment
            entries = [
                PlanEntry(
                    Membership(participant_info(member), plan_info(plan)),
                    max(plan.updated_at, latest.get(plan.id, plan.updated_at)),
                )
                for member, plan in rows
            ]
        return sorted(entries, key=lambda e: (e.last_change, e.membership.plan.id), reverse=True)
