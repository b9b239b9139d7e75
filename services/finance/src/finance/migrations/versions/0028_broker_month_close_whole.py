"""broker month close: when the month was found whole (every announced line arrived and settled),
and an index of the pending broker lines, so the months waiting are listed without the settled

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-09 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_broker_bill_line_pending",
        "broker_bill_line",
        ["platform_id", "period"],
        unique=False,
        postgresql_where=sa.text("bill_id IS NULL"),
        sqlite_where=sa.text("bill_id IS NULL"),
    )
    op.add_column(
        "broker_month_close",
        sa.Column("whole_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
    )
    # The closes whose lines have all arrived, as announced, and are all settled.
    close = sa.table(
        "broker_month_close",
        sa.column("platform_id"),
        sa.column("period"),
        sa.column("bill_lines"),
        sa.column("amount"),
        sa.column("whole_at", govit_kit.db.UTCDateTime(timezone=True)),
    )
    line = sa.table(
        "broker_bill_line",
        sa.column("platform_id"),
        sa.column("period"),
        sa.column("amount"),
        sa.column("bill_id"),
    )
    same = sa.and_(line.c.platform_id == close.c.platform_id, line.c.period == close.c.period)
    arrived = sa.select(sa.func.count()).where(same).scalar_subquery()
    total = sa.select(sa.func.coalesce(sa.func.sum(line.c.amount), 0)).where(same)
    pending = sa.select(sa.func.count()).where(same, line.c.bill_id.is_(None))
    op.execute(
        close.update()
        .where(
            arrived == close.c.bill_lines,
            total.scalar_subquery() == close.c.amount,
            pending.scalar_subquery() == 0,
        )
        .values(whole_at=govit_kit.db.utcnow())
    )


def downgrade() -> None:
    op.drop_column("broker_month_close", "whole_at")
    op.drop_index("ix_broker_bill_line_pending", table_name="broker_bill_line")
