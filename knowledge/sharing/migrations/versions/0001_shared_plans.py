"""Shared plans: plans, participants, contributions and measurements.

Revision ID: 0001
Revises:
Create Date: 2025-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("doc_token", sa.String(32), nullable=False),
        sa.Column("owner_sender", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
        sa.UniqueConstraint("code", name="uq_plans_code"),
        sa.UniqueConstraint("doc_token", name="uq_plans_doc_token"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_plans_status"),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("joined_at", _utc(), nullable=False),
        sa.Column("last_active_at", _utc(), nullable=False),
        sa.Column("left_at", _utc(), nullable=True),
        sa.Column("removed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "last_seen_contribution_id", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.Column(
            "last_seen_measurement_id", sa.Integer(), server_default=sa.text("0"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_participants_plan_id_plans", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("plan_id", "sender_id", name="uq_participants_plan_id_sender_id"),
        sa.CheckConstraint("role IN ('owner', 'partner')", name="ck_participants_role"),
    )
    op.create_index("ix_participants_plan_id", "participants", ["plan_id"])
    op.create_index("ix_participants_sender_id", "participants", ["sender_id"])
    op.create_table(
        "contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contributions"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_contributions_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_contributions_participant_id_participants",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("step BETWEEN 1 AND 6", name="ck_contributions_step"),
        sa.CheckConstraint(
            "kind IN ('bijdrage', 'opmerking', 'voorstel', 'besluit')", name="ck_contributions_kind"
        ),
    )
    op.create_index("ix_contributions_plan_id", "contributions", ["plan_id"])
    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("period_key", sa.String(64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_measurements"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_measurements_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name="fk_measurements_participant_id_participants",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_measurements_plan_id", "measurements", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_measurements_plan_id", table_name="measurements")
    op.drop_table("measurements")
    op.drop_index("ix_contributions_plan_id", table_name="contributions")
    op.drop_table("contributions")
    op.drop_index("ix_participants_sender_id", table_name="participants")
    op.drop_index("ix_participants_plan_id", table_name="participants")
    op.drop_table("participants")
    op.drop_table("plans")
