"""acceptance reports filed with finance (G7: PDS P art18)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acceptance_report_filing",
        sa.Column("filing_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("acceptance_id", sa.String(length=36), nullable=False),
        sa.Column("report_document", sa.String(length=255), nullable=False),
        sa.Column("report_sha256", sa.String(length=64), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("filed_by", sa.String(length=128), nullable=False),
        sa.Column("filed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("received_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_acceptance_report_filing")),
    )
    with op.batch_alter_table("acceptance_report_filing", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_report_filing_org_id"), ["org_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acceptance_report_filing_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("acceptance_report_filing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acceptance_report_filing_project_id"))
        batch_op.drop_index(batch_op.f("ix_acceptance_report_filing_org_id"))
    op.drop_table("acceptance_report_filing")
