"""The ``measures`` table (migration 0004) through the plan store's sessions and locks.

Plain records out (``knowledge.plan.measures.Measure``); every query is scoped to one plan. Who
may write what is decided by ``MeasureService`` (knowledge/sharing/measures.py).
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from knowledge.plan.measures import Measure
from knowledge.sharing.models import Measurement, Participant, PlanMeasure, utcnow
from knowledge.sharing.records import LimitReached, SharingError
from knowledge.sharing.store import SharedPlanStore

MAX_MEASURES = 200


class UnknownMeasure(SharingError):
    reason = "unknown_measure"
    message = "Die maatregel vind ik niet in dit plan. Zeg 'wie doet wat' voor de lijst."


def _row_measure(row: PlanMeasure, names: dict[int, str]) -> Measure:
    return Measure(
        text=row.text,
        origin=row.origin,
        priority=row.priority,
        responsible=row.responsible,
        party=row.party,
        start=row.start_label,
        end=row.end_label,
        means=row.means,
        status=row.status,
        proposed_by=names.get(row.proposed_by, ""),
        number=row.number,
        pending_responsible=row.pending_responsible,
        pending_by=names.get(row.pending_by or 0, ""),
    )


def _who(p: Participant) -> str:
    name = p.name or ("eigenaar" if p.role == "owner" else "partner")
    return f"{name} ({p.organisation})" if p.organisation else name


class MeasureStore:
    """The ``measures`` table, through the plan store's sessions (every query scoped to a plan)."""

    def __init__(self, store: SharedPlanStore) -> None:
        self.store = store

    def _names(self, s: Session, plan_id: str) -> dict[int, str]:
        rows = s.scalars(select(Participant).where(Participant.plan_id == plan_id))
        return {p.id: _who(p) for p in rows}

    def measures(self, plan_id: str) -> list[Measure]:
        with self.store._tx() as s:
            names = self._names(s, plan_id)
            rows = s.scalars(
                select(PlanMeasure)
                .where(PlanMeasure.plan_id == plan_id)
                .order_by(PlanMeasure.number)
            )
            return [_row_measure(r, names) for r in rows]

    def add(self, plan_id: str, sender: str, measure: Measure) -> Measure:
        with self.store._tx() as s:
            self.store._plan(s, plan_id, "update")  # numbers are given out one at a time
            member = self.store._writable_member(s, plan_id, sender)
            count = s.scalar(
                select(func.count()).select_from(PlanMeasure).where(PlanMeasure.plan_id == plan_id)
            )
            if (count or 0) >= MAX_MEASURES:
                raise LimitReached(f"Een plan kan hooguit {MAX_MEASURES} maatregelen hebben.")
            now = utcnow()
            row = PlanMeasure(
                plan_id=plan_id,
                number=(count or 0) + 1,
                text=measure.text,
                origin=measure.origin,
                priority=measure.priority,
                responsible=measure.responsible,
                party=measure.party,
                start_label=measure.start,
                end_label=measure.end,
                means=measure.means,
                status=measure.status,
                proposed_by=member.id,
                pending_responsible="",
                pending_party="",
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            return _row_measure(row, self._names(s, plan_id))

    def change(self, plan_id: str, sender: str, number: int, **values: object) -> Measure:
        """Set columns of one measure (the service checked who may)."""
        with self.store._tx() as s:
            self.store._writable_member(s, plan_id, sender)
            row = s.scalars(
                select(PlanMeasure)
                .where(PlanMeasure.plan_id == plan_id, PlanMeasure.number == number)
                .with_for_update()
            ).one_or_none()
            if row is None:
                raise UnknownMeasure()
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
            s.flush()
            return _row_measure(row, self._names(s, plan_id))

    def raw(self, plan_id: str, number: int) -> PlanMeasure | None:
        with self.store._tx() as s:
            return s.scalars(
                select(PlanMeasure).where(
                    PlanMeasure.plan_id == plan_id, PlanMeasure.number == number
                )
            ).one_or_none()

    def link_measurement(self, plan_id: str, measurement_id: int, number: int) -> None:
        with self.store._tx() as s:
            s.execute(
                update(Measurement)
                .where(Measurement.plan_id == plan_id, Measurement.id == measurement_id)
                .values(measure_number=number)
            )

    def latest_measurements(self, plan_id: str) -> dict[int, str]:
        """The last measurement per measure number, as text ('schouwen Q1 2027: 3')."""
        with self.store._tx() as s:
            rows = s.scalars(
                select(Measurement)
                .where(Measurement.plan_id == plan_id, Measurement.measure_number.is_not(None))
                .order_by(Measurement.period_key, Measurement.id)
            )
            return {
                int(m.measure_number or 0): f"{m.indicator} {m.period}: {m.value:g}" for m in rows
            }
