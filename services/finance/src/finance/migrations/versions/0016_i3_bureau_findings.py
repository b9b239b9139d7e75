"""i3 bureau findings: duplicate collection (YY art28), unit integration (YY art30)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicate_collection",
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("collects_twice", sa.Boolean(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_duplicate_collection")),
    )
    op.create_table(
        "unit_integration",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("failed_to_integrate", sa.Boolean(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_unit_integration")),
    )


def downgrade() -> None:
    op.drop_table("unit_integration")
    op.drop_table("duplicate_collection")
