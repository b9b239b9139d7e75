"""judged D5 grounds: who raised a pre-check and why, who cleared it and why

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pre_check", schema=None) as batch_op:
        batch_op.add_column(sa.Column("raised_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("raise_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cleared_by", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("clear_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("cleared_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("pre_check", schema=None) as batch_op:
        batch_op.drop_column("cleared_at")
        batch_op.drop_column("clear_reason")
        batch_op.drop_column("cleared_by")
        batch_op.drop_column("raise_reason")
        batch_op.drop_column("raised_by")
