"""Tables of shared plans (SQLAlchemy 2 declarative). Migrations in migrations/ must match."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from knowledge.plan.files import new_plan_id
from knowledge.steps import NUMBERS

# Explicit constraint names: the same on SQLite and PostgreSQL, and in the hand-written migration.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUSES = ("open", "closed")
ROLES = ("owner", "partner")
KINDS = ("bijdrage", "opmerking", "voorstel", "besluit")
STEPS = NUMBERS  # the planner steps (knowledge/steps.py)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        # One name per owner (migration 0003); the store adds "(2)" when a name is taken.
        Index("ix_plans_owner_sender_name", "owner_sender", "name", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_plan_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    doc_token: Mapped[str] = mapped_column(String(32), unique=True, default=new_plan_id)
    owner_sender: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String(16), default="open")
    answers: Mapped[dict[str, Any]]
    state: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the current join code was made: codes expire, and a new code ends a pause.
    code_created_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # A short name ("Stationsgebied Oost"), set by the store; NULL only while 0003 runs.
    name: Mapped[str | None] = mapped_column(String(64))


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("plan_id", "sender_id"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    removed: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_seen_contribution_id: Mapped[int] = mapped_column(default=0, server_default=sql_text("0"))
    last_seen_measurement_id: Mapped[int] = mapped_column(default=0, server_default=sql_text("0"))


class Contribution(Base):
    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint("step BETWEEN 1 AND 6", name="step"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    step: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Measurement(Base):
    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    indicator: Mapped[str] = mapped_column(Text)
    period: Mapped[str] = mapped_column(Text)
    period_key: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The measure it follows ("maatregel 2: ..."), or NULL for the goal (migration 0004).
    measure_number: Mapped[int | None]


class JoinFailure(Base):
    """A refused join: counted per client and, when it points at a plan, per plan.

    In the store (not in a process's memory) so that the limits survive restarts and hold for
    every process. ``plan_id`` is set when the tried code belongs to a plan (expired, a removed
    partner) or shares one half with its code (someone is guessing the rest).
    """

    __tablename__ = "join_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String, index=True)
    plan_id: Mapped[str | None] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


MEASURE_STATUSES = ("voorgesteld", "bevestigd", "afgewezen")


class PlanMeasure(Base):
    """A measure of step 5 (migration 0004): what, from which method, for which priority,
    who is responsible, from when to when, and whether the owner confirmed it.

    ``number`` is its number in the plan ("maatregel 2"); measures are never deleted (a declined
    one is 'afgewezen'), so numbers stay. A partner who takes a measure on sets the pending
    fields until the owner decides. Logic: knowledge/sharing/measures.py.
    """

    __tablename__ = "measures"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint(_in("status", MEASURE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    party: Mapped[str] = mapped_column(String(64), default="")
    start_label: Mapped[str] = mapped_column(String(64), default="")
    end_label: Mapped[str] = mapped_column(String(64), default="")
    means: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    proposed_by: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    pending_responsible: Mapped[str] = mapped_column(Text, default="")
    pending_party: Mapped[str] = mapped_column(String(64), default="")
    pending_by: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
