"""project: listed off an index in (created_at, id) order, the bureaus' across units and a
unit's own (the unit's, (org_id, created_at, id), replaces the index on org_id alone)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_project_created", "project", ["created_at", "id"], unique=False)
    op.create_index(
        "ix_project_org_created", "project", ["org_id", "created_at", "id"], unique=False
    )
    op.drop_index("ix_project_org_id", table_name="project")


def downgrade() -> None:
    op.create_index("ix_project_org_id", "project", ["org_id"], unique=False)
    op.drop_index("ix_project_org_created", table_name="project")
    op.drop_index("ix_project_created", table_name="project")
