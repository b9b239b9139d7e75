"""I3: finance's standing grounds that bar a unit's new projects (YY art28, art30)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standing_ground",
        sa.Column("ground", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("stands", sa.Boolean(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("fact_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("ground", "subject_id", name=op.f("pk_standing_ground")),
    )
    with op.batch_alter_table("standing_ground", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standing_ground_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("standing_ground", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standing_ground_org_id"))
    op.drop_table("standing_ground")
