"""supervision exemption: the data bureau's written exemption of a project from supervision
(E6, SN P art29 原则上), one per project

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supervision_exemption",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_exemption")),
        sa.UniqueConstraint("project_id", name=op.f("uq_supervision_exemption_project_id")),
    )
    op.create_index(
        op.f("ix_supervision_exemption_org_id"), "supervision_exemption", ["org_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_supervision_exemption_org_id"), table_name="supervision_exemption")
    op.drop_table("supervision_exemption")
