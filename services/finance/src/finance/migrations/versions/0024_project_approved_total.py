"""the project's approved total on finance's copy (E1, E6, E7 measure it) and the halted case
and termination change (F5)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project_copy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approved_total", govit_kit.db.Money(precision=18, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("approved_total_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("approved_total_source", sa.String(240), nullable=True))
        batch_op.add_column(sa.Column("halt_case_id", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("halt_change_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("project_copy", schema=None) as batch_op:
        batch_op.drop_column("halt_change_id")
        batch_op.drop_column("halt_case_id")
        batch_op.drop_column("approved_total_source")
        batch_op.drop_column("approved_total_at")
        batch_op.drop_column("approved_total")
