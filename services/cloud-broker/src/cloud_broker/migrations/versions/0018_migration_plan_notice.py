"""resource request: L12 migration impact, plan and advance notice (SN C art12)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # All nullable: requests filed before carry no migration impact (L12 governs none of them).
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("migration_impact", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("migration_plan_status", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("migration_plan_decided_by", sa.String(length=128), nullable=True)
        )
        batch_op.add_column(sa.Column("migration_plan_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("migration_notice", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.drop_column("migration_notice")
        batch_op.drop_column("migration_plan_reason")
        batch_op.drop_column("migration_plan_decided_by")
        batch_op.drop_column("migration_plan_status")
        batch_op.drop_column("migration_impact")
