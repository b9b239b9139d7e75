"""project actuals (review's projection of intake's library, for the portfolio)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 02:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_actuals",
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("planned_cost", govit_kit.db.Money(precision=18, scale=2), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_cost", govit_kit.db.Money(precision=18, scale=2), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("reported_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_actuals")),
    )


def downgrade() -> None:
    op.drop_table("project_actuals")
