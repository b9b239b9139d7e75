"""one review case per project: the project id of review_case is unique

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 15:50:00

A database that already holds two cases of one project (opened by a late intake submission
before this revision) fails here, naming the duplicate key: which case stands is the bureau's
call, not a migration's; see docs/review.md §5.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_case_project_id"))
        batch_op.create_index(batch_op.f("ix_review_case_project_id"), ["project_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("review_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_case_project_id"))
        batch_op.create_index(batch_op.f("ix_review_case_project_id"), ["project_id"], unique=False)
