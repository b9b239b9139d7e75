"""acceptance pre-approval (G2)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pre_approval",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("trial_run_ended_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("requested_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pre_approval")),
    )
    with op.batch_alter_table("pre_approval", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pre_approval_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pre_approval_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pre_approval_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pre_approval_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pre_approval", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pre_approval_status"))
        batch_op.drop_index(batch_op.f("ix_pre_approval_project_id"))
        batch_op.drop_index(batch_op.f("ix_pre_approval_org_id"))
        batch_op.drop_index(batch_op.f("ix_pre_approval_case_id"))
    op.drop_table("pre_approval")
