"""The plan store's entries: contributions and measurements per plan, and the news since last time.

Every text is cleaned and checked for personal data (``guard``) before it is written, and the
limits per participant and per plan are counted inside the writing transaction.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from knowledge.sharing.base import StoreBase, contribution_info, measurement_info
from knowledge.sharing.guard import stored_text
from knowledge.sharing.models import KINDS, STEPS, Contribution, Measurement, Participant, utcnow
from knowledge.sharing.records import (
    ContributionInfo,
    MeasurementInfo,
    NotParticipant,
    NotYours,
    UnknownContribution,
)


class EntriesMixin(StoreBase):
    """Contributions, measurements and news of ``SharedPlanStore``."""

    # --- contributions ---

    def add_contribution(
        self, plan_id: str, sender_id: str, step: int, kind: str, text: str
    ) -> ContributionInfo:
        if step not in STEPS:
            raise ValueError(f"step must be 1..6, not {step!r}")
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        text = stored_text(text, "text")
        with self._tx() as s:
            member = self._writable_member(s, plan_id, sender_id)
            self._count_within(s, Contribution, plan_id, member.id, "contributions")
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
            return contribution_info(row, member)

    def contributions(self, plan_id: str) -> list[ContributionInfo]:
        """In id order (the order in which they were added)."""
        with self._tx() as s:
            rows = s.execute(self._contributions(plan_id))
            return [contribution_info(c, p) for c, p in rows]

    def delete_contribution(
        self, plan_id: str, sender_id: str, contribution_id: int
    ) -> ContributionInfo:
        """The owner deletes any contribution of an open plan, a partner only their own."""
        with self._tx() as s:
            member = self._writable_member(s, plan_id, sender_id)
            found = s.execute(
                self._contributions(plan_id).where(Contribution.id == contribution_id)
            ).one_or_none()
            if found is None:
                raise UnknownContribution()
            row, author = found
            if member.role != "owner" and row.participant_id != member.id:
                raise NotYours()
            deleted = contribution_info(row, author)
            s.delete(row)
            return deleted

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

    # --- measurements ---

    def add_measurement(
        self,
        plan_id: str,
        sender_id: str,
        indicator: str,
        period: str,
        period_key: str,
        value: float,
    ) -> MeasurementInfo:
        indicator, period = stored_text(indicator, "indicator"), stored_text(period, "period")
        period_key = stored_text(period_key, "period_key")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be a finite number, not {value!r}")
        with self._tx() as s:
            member = self._writable_member(s, plan_id, sender_id)
            self._count_within(s, Measurement, plan_id, member.id, "measurements")
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
            return measurement_info(row, member)

    def measurements(self, plan_id: str) -> list[MeasurementInfo]:
        """Ordered by period_key, then id."""
        with self._tx() as s:
            rows = s.execute(
                self._measurements(plan_id)
                .order_by(None)
                .order_by(Measurement.period_key, Measurement.id)
            )
            return [measurement_info(m, p) for m, p in rows]

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

    def _count_within(
        self,
        s: Session,
        table: type[Contribution] | type[Measurement],
        plan_id: str,
        participant_id: int,
        what: str,
    ) -> None:
        """The limits per participant and per plan ("contributions" or "measurements")."""
        mine = s.scalar(
            select(func.count())
            .select_from(table)
            .where(table.plan_id == plan_id, table.participant_id == participant_id)
        )
        self._within(f"{what}_per_participant", mine or 0)
        everyone = s.scalar(select(func.count()).select_from(table).where(table.plan_id == plan_id))
        self._within(f"{what}_per_plan", everyone or 0)

    # --- news ---

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
                [contribution_info(c, p) for c, p in contributions if p.id != me.id],
                [measurement_info(m, p) for m, p in measurements if p.id != me.id],
            )
