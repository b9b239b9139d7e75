"""review_case: listed off an index in (opened_at, id) order, the bureau's across units and a
unit's own (the unit's, (org_id, opened_at, id), replaces the index on org_id alone)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 19:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_review_case_opened", "review_case", ["opened_at", "id"], unique=False)
    op.create_index(
        "ix_review_case_org_opened", "review_case", ["org_id", "opened_at", "id"], unique=False
    )
    op.drop_index("ix_review_case_org_id", table_name="review_case")


def downgrade() -> None:
    op.create_index("ix_review_case_org_id", "review_case", ["org_id"], unique=False)
    op.drop_index("ix_review_case_org_opened", table_name="review_case")
    op.drop_index("ix_review_case_opened", table_name="review_case")
