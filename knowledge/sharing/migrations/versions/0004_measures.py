"""Step 5 as a set of measures: who does what, from when to when; measurements per measure.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(64), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("start_label", sa.String(64), nullable=False),
        sa.Column("end_label", sa.String(64), nullable=False),
        sa.Column("means", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("pending_responsible", sa.Text(), nullable=False),
        sa.Column("pending_party", sa.String(64), nullable=False),
        sa.Column("pending_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_measures"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_measures_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["participants.id"],
            name="fk_measures_proposed_by_participants",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pending_by"],
            ["participants.id"],
            name="fk_measures_pending_by_participants",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("plan_id", "number", name="uq_measures_plan_id_number"),
        sa.CheckConstraint(
            "status IN ('voorgesteld', 'bevestigd', 'afgewezen')", name="ck_measures_status"
        ),
    )
    op.create_index("ix_measures_plan_id", "measures", ["plan_id"])
    op.create_index("ix_measures_proposed_by", "measures", ["proposed_by"])
    # Nullable, so SQLite adds it in place; existing measurements follow the goal as before.
    op.add_column("measurements", sa.Column("measure_number", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("measurements", "measure_number")
    op.drop_index("ix_measures_proposed_by", table_name="measures")
    op.drop_index("ix_measures_plan_id", table_name="measures")
    op.drop_table("measures")
