"""asset registration (G7: SN P art11, XY art20)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "asset_registration",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("total", govit_kit.db.Money(precision=18, scale=2), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("registered_by", sa.String(length=128), nullable=False),
        sa.Column("registered_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_registration")),
    )
    with op.batch_alter_table("asset_registration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_registration_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_asset_registration_project_id"), ["project_id"], unique=False
        )
    op.create_table(
        "asset_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("registration_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("asset_class", sa.String(length=16), nullable=False),
        sa.Column("amount", govit_kit.db.Money(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["asset_registration.id"],
            name=op.f("fk_asset_entry_registration_id_asset_registration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_entry")),
    )
    with op.batch_alter_table("asset_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_entry_registration_id"), ["registration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("asset_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_entry_registration_id"))
    op.drop_table("asset_entry")
    with op.batch_alter_table("asset_registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_registration_project_id"))
        batch_op.drop_index(batch_op.f("ix_asset_registration_org_id"))
    op.drop_table("asset_registration")
