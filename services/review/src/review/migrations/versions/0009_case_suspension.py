"""case suspension (F4)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_suspension",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("suspended_by", sa.String(length=128), nullable=False),
        sa.Column("suspended_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lifted_by", sa.String(length=128), nullable=True),
        sa.Column("lift_note", sa.Text(), nullable=True),
        sa.Column("lifted_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_suspension")),
    )
    with op.batch_alter_table("case_suspension", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_suspension_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_suspension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_suspension_case_id"))
    op.drop_table("case_suspension")
