"""register move

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_move",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("system_id", sa.String(length=36), nullable=False),
        sa.Column("from_org_id", sa.String(length=64), nullable=False),
        sa.Column("to_org_id", sa.String(length=64), nullable=False),
        sa.Column("effective_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rule_id", sa.String(length=8), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("resource_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_move")),
        sa.UniqueConstraint("event_id", name=op.f("uq_register_move_event_id")),
    )
    with op.batch_alter_table("register_move", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_move_system_id"), ["system_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("register_move", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_move_system_id"))
    op.drop_table("register_move")
