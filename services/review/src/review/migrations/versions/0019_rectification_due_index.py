"""rectification_order: J1's round reads the open orders past their deadline off an index in
(status, due_at), which replaces the index on status alone

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_rectification_order_status_due",
        "rectification_order",
        ["status", "due_at"],
        unique=False,
    )
    op.drop_index("ix_rectification_order_status", table_name="rectification_order")


def downgrade() -> None:
    op.create_index(
        "ix_rectification_order_status", "rectification_order", ["status"], unique=False
    )
    op.drop_index("ix_rectification_order_status_due", table_name="rectification_order")
