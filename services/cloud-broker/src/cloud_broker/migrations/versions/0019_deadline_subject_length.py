"""deadline: subject_id holds <platform>:<period> for a platform id of up to 64 characters

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 13:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.alter_column(
            "subject_id", existing_type=sa.String(length=36), type_=sa.String(length=80)
        )


def downgrade() -> None:
    # Fails on a row longer than 36 characters rather than cutting its key.
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.alter_column(
            "subject_id", existing_type=sa.String(length=80), type_=sa.String(length=36)
        )
