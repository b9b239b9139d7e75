"""rectification_order: where its deadline was counted from (due_counted_from) and the years it
counted on the statute's provisional computation (due_provisional_years), to count it again once
they are published (govit_kit.duedates)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 18:00:00

Backfill: an open order's deadline was counted from its issue (level 0) or from its last
escalation's instant, over due_working_days: both are kept. Its years are marked with the year
it was counted from, so that the first sweep counts it again on the service's calendar (which a
migration does not load): the same date where nothing was provisional, the true one where it
was, and the right mark from then on.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHINA = timezone(timedelta(hours=8))  # Asia/Shanghai: UTC+8 without DST since 1991


def upgrade() -> None:
    with op.batch_alter_table("rectification_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_counted_from", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("due_provisional_years", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_rectification_order_due_provisional_years"),
            ["due_provisional_years"],
            unique=False,
        )
    order = sa.table(
        "rectification_order",
        sa.column("id", sa.String),
        sa.column("status", sa.String),
        sa.column("level", sa.Integer),
        sa.column("escalations", sa.JSON),
        sa.column("issued_at", govit_kit.db.UTCDateTime(timezone=True)),
        sa.column("due_counted_from", govit_kit.db.UTCDateTime(timezone=True)),
        sa.column("due_provisional_years", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(order.c.id, order.c.level, order.c.escalations, order.c.issued_at).where(
            order.c.status == "open"
        )
    ).all()
    for oid, level, escalations, issued_at in rows:
        start = issued_at
        if level and escalations:
            start = datetime.fromisoformat(escalations[-1]["at"])
        if start is None:
            continue
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        bind.execute(
            order.update()
            .where(order.c.id == oid)
            .values(
                due_counted_from=start,
                due_provisional_years=str(start.astimezone(CHINA).year),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("rectification_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_order_due_provisional_years"))
        batch_op.drop_column("due_provisional_years")
        batch_op.drop_column("due_counted_from")
