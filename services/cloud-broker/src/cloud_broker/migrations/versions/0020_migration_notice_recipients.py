"""migration notices as each affected unit receives them (L12: SN C art12, 提前通知受影响使用单位)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 13:40:00.000000

No backfill: it lands with 0018, which introduced the notices, so no notice predates it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "migration_notice_recipient",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("to_org_id", sa.String(length=64), nullable=False),
        sa.Column("from_org_id", sa.String(length=64), nullable=False),
        sa.Column("planned_start", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("given_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "request_id", "to_org_id", name=op.f("pk_migration_notice_recipient")
        ),
    )
    with op.batch_alter_table("migration_notice_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_migration_notice_recipient_to_org_id"), ["to_org_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("migration_notice_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_migration_notice_recipient_to_org_id"))
    op.drop_table("migration_notice_recipient")
