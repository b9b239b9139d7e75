"""project halt change time (F4, F5: review's case state events applied in their order)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 15:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project_copy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("halt_changed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("project_copy", schema=None) as batch_op:
        batch_op.drop_column("halt_changed_at")
