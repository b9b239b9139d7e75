"""yearly progress and performance reports during construction (F6)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "progress_report",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("investment_execution", sa.Text(), nullable=True),
        sa.Column("trial_run_effects", sa.Text(), nullable=True),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.String(length=128), nullable=True),
        sa.Column("submitted_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("overdue_flagged_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report")),
        sa.UniqueConstraint("case_id", "year", name=op.f("uq_progress_report_case_id")),
    )
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_report_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_progress_report_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_progress_report_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_progress_report_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("progress_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_report_status"))
        batch_op.drop_index(batch_op.f("ix_progress_report_project_id"))
        batch_op.drop_index(batch_op.f("ix_progress_report_org_id"))
        batch_op.drop_index(batch_op.f("ix_progress_report_case_id"))
    op.drop_table("progress_report")
