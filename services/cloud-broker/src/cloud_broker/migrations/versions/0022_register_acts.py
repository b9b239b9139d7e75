"""register acts: the register's freezes, unfreezes (K5: SN P art48) and decommissions (K1: SN P
art44) kept per event and resource, so they apply in the register's order and follow a move
(K3, K4) that arrives after them

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 15:30:00.000000

No backfill: a mark set before (`resource_request.frozen_by`) stays until its system's unfreeze,
which clears it as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_act",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("system_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("owner_org_id", sa.String(length=64), nullable=False),
        sa.Column("effective_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rule_id", sa.String(length=8), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("handled_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resource_request.id"],
            name=op.f("fk_register_act_resource_id_resource_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_act")),
        sa.UniqueConstraint("event_id", "resource_id", name="uq_register_act_event_resource"),
    )
    with op.batch_alter_table("register_act", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_act_resource_id"), ["resource_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("register_act", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_act_resource_id"))
    op.drop_table("register_act")
