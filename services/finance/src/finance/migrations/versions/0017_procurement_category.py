"""procurement category (L10: units do not buy cloud services themselves)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "category", sa.String(length=32), server_default="unspecified", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("procurement", schema=None) as batch_op:
        batch_op.drop_column("category")
