"""resource request: project_id optional (L2: only a new system attaches its project approval)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 10:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.String(length=36), nullable=True)


def downgrade() -> None:
    # A migrated system's request filed without a project has none to restore: refuse rather
    # than invent one.
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.alter_column("project_id", existing_type=sa.String(length=36), nullable=False)
