"""project standing: review's suspensions (F4) and terminations (F5) of the projects new systems'
requests stand on (L2, SN C art12), kept so the requests follow them (the saga with review)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 10:00:00.000000

No backfill: the consumers of review's case.suspended, .suspension_lifted and .terminated are
new and read the stream from its start, so the projects suspended or terminated before are
applied as their events arrive (a termination's requests are compensated then).
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
        "project_standing",
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("suspension_changed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("suspension_event_id", sa.String(length=36), nullable=True),
        sa.Column("terminated_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("termination_event_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_standing")),
    )


def downgrade() -> None:
    op.drop_table("project_standing")
