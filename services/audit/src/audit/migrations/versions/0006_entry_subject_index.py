"""audit_entry.subject indexed: a deadline check reads its subject's entries on each append

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_entry_subject", "audit_entry", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_audit_entry_subject", table_name="audit_entry")
