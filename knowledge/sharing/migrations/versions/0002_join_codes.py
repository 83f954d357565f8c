"""Join codes that expire, and failed joins counted in the store (per client and per plan).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    # Nullable, so SQLite can add it in place (a batch copy of "plans" would cascade-delete the
    # participants); existing plans count their code from the moment the plan was made.
    op.add_column("plans", sa.Column("code_created_at", _utc(), nullable=True))
    op.execute("UPDATE plans SET code_created_at = created_at")
    op.create_table(
        "join_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(), nullable=False),
        sa.Column("plan_id", sa.String(32), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_join_failures"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_join_failures_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_join_failures_sender_id", "join_failures", ["sender_id"])
    op.create_index("ix_join_failures_plan_id", "join_failures", ["plan_id"])
    op.create_index("ix_join_failures_created_at", "join_failures", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_join_failures_created_at", table_name="join_failures")
    op.drop_index("ix_join_failures_plan_id", table_name="join_failures")
    op.drop_index("ix_join_failures_sender_id", table_name="join_failures")
    op.drop_table("join_failures")
    op.drop_column("plans", "code_created_at")
