"""deadline: a deployment deadline paused while an important migration's plan awaits the
bureau (L4 read with L12: SN C art11, art12)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 15:20:00.000000

No backfill: a plan pending when this is applied keeps its deadline running until the bureau
decides (or the unit resubmits it); its working days left could only be counted on the
service's calendar, which a migration does not load.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("paused_working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pause_reason", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_column("pause_reason")
        batch_op.drop_column("paused_working_days")
        batch_op.drop_column("paused_at")
