"""broker month close: cloud-broker's count and total of a platform's bill lines of a month

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "broker_month_close",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("platform_id", sa.String(length=64), nullable=False),
        sa.Column("bill_lines", sa.Integer(), nullable=False),
        sa.Column("amount", govit_kit.db.Money(precision=18, scale=2), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", "platform_id", name=op.f("pk_broker_month_close")),
    )


def downgrade() -> None:
    op.drop_table("broker_month_close")
