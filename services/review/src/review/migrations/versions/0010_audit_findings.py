"""audit findings (review's projection, for the portfolio)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_finding",
        sa.Column("finding_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("org_id", sa.String(length=64), nullable=True),
        sa.Column("check", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.String(length=8), nullable=False),
        sa.Column("article", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("finding_id", name=op.f("pk_audit_finding")),
    )
    with op.batch_alter_table("audit_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_finding_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_finding_project_id"))
    op.drop_table("audit_finding")
