"""C6: one city project per county project (a unique forwarded origin)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_project_forwarded_by_org"), ["forwarded_by_org", "origin_project_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_project_forwarded_by_org"), type_="unique")
