"""compliance_watch.provisional_years: the years a within check's deadline in working days was
counted on the statute's provisional calendar, to count it again from the log once they are
published (govit_kit.duedates)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 18:00:00

Backfill: the watches of the checks counted in working days (as checks.py names them when this
is written) are marked with the year their start was logged in China, so that the first round
counts them again from the log on the service's calendar (which a migration does not load): the
same date where nothing was provisional, the true one where it was, the right mark from then.
"""

from collections.abc import Sequence
from datetime import UTC, timedelta, timezone

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHINA = timezone(timedelta(hours=8))  # Asia/Shanghai: UTC+8 without DST since 1991
WORKING_DAY_CHECKS = ("request-approval-overdue", "deployment-overdue", "change-approval-overdue")


def upgrade() -> None:
    with op.batch_alter_table("compliance_watch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional_years", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_compliance_watch_provisional_years"),
            ["provisional_years"],
            unique=False,
        )
    watch = sa.table(
        "compliance_watch",
        sa.column("id", sa.BigInteger),
        sa.column("check_code", sa.String),
        sa.column("trigger_time", govit_kit.db.UTCDateTime(timezone=True)),
        sa.column("provisional_years", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(watch.c.id, watch.c.trigger_time).where(
            watch.c.check_code.in_(WORKING_DAY_CHECKS)
        )
    ).all()
    for wid, started in rows:
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        bind.execute(
            watch.update()
            .where(watch.c.id == wid)
            .values(provisional_years=str(started.astimezone(CHINA).year))
        )


def downgrade() -> None:
    with op.batch_alter_table("compliance_watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_watch_provisional_years"))
        batch_op.drop_column("provisional_years")
