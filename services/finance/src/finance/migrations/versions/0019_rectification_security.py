"""rectification security and holds_payments (I3, YY art29; I4); system status not recorded

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every order kept so far held payments (review's were kept only with hold_payments, and
    # finance's own always hold); whether one of review's was a security order was not kept.
    op.add_column(
        "rectification",
        sa.Column("holds_payments", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.add_column(
        "rectification",
        sa.Column("security", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    # None: not recorded. Rows kept so far keep their false (it cannot be told apart from a
    # recorded false).
    with op.batch_alter_table("system_status", schema=None) as batch_op:
        batch_op.alter_column("shares_data", existing_type=sa.Boolean(), nullable=True)
        batch_op.alter_column("in_catalog", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE system_status SET shares_data = false WHERE shares_data IS NULL")
    op.execute("UPDATE system_status SET in_catalog = false WHERE in_catalog IS NULL")
    with op.batch_alter_table("system_status", schema=None) as batch_op:
        batch_op.alter_column("in_catalog", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("shares_data", existing_type=sa.Boolean(), nullable=False)
    op.drop_column("rectification", "security")
    op.drop_column("rectification", "holds_payments")
