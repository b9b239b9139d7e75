"""deadline: how a due date in working days was counted (counted_from, working_days, pauses)
and the years it counted provisionally (provisional_years), to count it again once they are
published (govit_kit.duedates)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 18:00:00.000000

No backfill: a deadline stored before keeps its due date (its start and working days were not
kept, and its working days could only be read from the service's profile, which a migration
does not load). Deadlines of L4 and L6 last 2 to 10 working days, so those open when this is
applied reach into an unpublished year only when stored in its last two weeks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counted_from", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pauses", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("provisional_years", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_deadline_provisional_years"), ["provisional_years"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_provisional_years"))
        batch_op.drop_column("provisional_years")
        batch_op.drop_column("pauses")
        batch_op.drop_column("working_days")
        batch_op.drop_column("counted_from")
