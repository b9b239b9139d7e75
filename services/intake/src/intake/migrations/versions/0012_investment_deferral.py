"""J1: a unit's investment plan deferred by an escalated rectification order (SN P art37,
YY art32), and the plan items an adoption left out for it

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:00:00.000000
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
        "investment_deferral",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("sanction", sa.String(length=32), nullable=False),
        sa.Column("deferred_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_investment_deferral")),
    )
    with op.batch_alter_table("investment_deferral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_investment_deferral_org_id"), ["org_id"], unique=False)
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_out", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_column("left_out")
    with op.batch_alter_table("investment_deferral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_investment_deferral_org_id"))
    op.drop_table("investment_deferral")
