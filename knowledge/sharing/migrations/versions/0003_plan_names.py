"""Plans as projects: every plan gets a short name, unique per owner.

Existing plans get a name proposed from their problem text (step 1), else "Plan van <date>",
with the same rule as new plans (knowledge.sharing.naming), numbered when an owner has it twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_plans = sa.table(
    "plans",
    sa.column("id", sa.String),
    sa.column("owner_sender", sa.String),
    sa.column("answers", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("name", sa.String),
)


def upgrade() -> None:
    from knowledge.catalogue import load_catalogue
    from knowledge.sharing.naming import propose_name, unique_name

    # Nullable, so SQLite adds it in place (a batch copy of "plans" would cascade-delete the
    # participants); the store always sets a name.
    op.add_column("plans", sa.Column("name", sa.String(64), nullable=True))
    connection = op.get_bind()
    catalogue = load_catalogue()
    taken: dict[str, list[str]] = {}
    rows = connection.execute(
        sa.select(
            _plans.c.id, _plans.c.owner_sender, _plans.c.answers, _plans.c.created_at
        ).order_by(_plans.c.created_at, _plans.c.id)
    ).all()
    for plan_id, owner, answers, created in rows:
        problem = (answers or {}).get("plan_problem") if isinstance(answers, dict) else None
        names = taken.setdefault(owner, [])
        name = unique_name(propose_name(str(problem or ""), catalogue, created), names)
        names.append(name)
        connection.execute(_plans.update().where(_plans.c.id == plan_id).values(name=name))
    op.create_index("ix_plans_owner_sender_name", "plans", ["owner_sender", "name"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_plans_owner_sender_name", table_name="plans")
    op.drop_column("plans", "name")
