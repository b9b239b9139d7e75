"""emergency drills (L15: PDS C art14, at least 2 a year)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "emergency_drill",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("platform_id", sa.String(length=64), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("filed_by", sa.String(length=128), nullable=False),
        sa.Column("filed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_drill")),
        sa.UniqueConstraint("platform_id", "held_on", name="uq_drill_platform_day"),
    )
    with op.batch_alter_table("emergency_drill", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_emergency_drill_platform_id"), ["platform_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("emergency_drill", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emergency_drill_platform_id"))
    op.drop_table("emergency_drill")
