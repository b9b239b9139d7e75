"""applications

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:43:09.389067
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns added to existing rows get server defaults (existing applications: none, not classified).
    op.create_table(
        "demand_call",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("plan_year", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=128), nullable=False),
        sa.Column("opened_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demand_call")),
        sa.UniqueConstraint("plan_year", name=op.f("uq_demand_call_plan_year")),
    )
    op.create_table(
        "catalog_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("resource_name", sa.String(length=200), nullable=False),
        sa.Column("format_category", sa.String(length=16), nullable=False),
        sa.Column("format_type", sa.String(length=32), nullable=False),
        sa.Column("item_name", sa.String(length=200), nullable=False),
        sa.Column("data_type", sa.String(length=1), nullable=True),
        sa.Column("data_length", sa.Integer(), nullable=True),
        sa.Column("share_type", sa.String(length=16), nullable=False),
        sa.Column("share_method", sa.String(length=16), nullable=False),
        sa.Column("open_to_public", sa.Boolean(), nullable=False),
        sa.Column("open_conditions", sa.String(length=500), nullable=True),
        sa.Column("update_cycle", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_catalog_entry_project_id_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_entry")),
    )
    with op.batch_alter_table("catalog_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_entry_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_material",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.Column("uploaded_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_project_material_project_id_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_material")),
        sa.UniqueConstraint("project_id", "kind", name=op.f("uq_project_material_project_id")),
    )
    with op.batch_alter_table("project_material", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_material_project_id"), ["project_id"], unique=False
        )

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("supervising_department", sa.String(length=200), nullable=True)
        )
        batch_op.add_column(sa.Column("leader_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("leader_phone", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("contact_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("contact_phone", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("background", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("basis_documents", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("preparation_status", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("schedule", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("yearly_funding", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("predecessor_project_id", sa.String(length=36), nullable=True)
        )
        batch_op.add_column(
            sa.Column("classified", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("demand_call_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("plan_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("listing", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("framework_plan_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("cdo_signed_by", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column("cdo_signed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("origin", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("origin_project_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("county_opinion", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("forwarded_by_org", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("city_project_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("city_status", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_project_plan_year"), ["plan_year"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_project_demand_call_id_demand_call"),
            "demand_call",
            ["demand_call_id"],
            ["id"],
        )

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_project_demand_call_id_demand_call"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_project_plan_year"))
        batch_op.drop_column("city_status")
        batch_op.drop_column("city_project_id")
        batch_op.drop_column("forwarded_by_org")
        batch_op.drop_column("county_opinion")
        batch_op.drop_column("origin_project_id")
        batch_op.drop_column("origin")
        batch_op.drop_column("cdo_signed_at")
        batch_op.drop_column("cdo_signed_by")
        batch_op.drop_column("framework_plan_id")
        batch_op.drop_column("listing")
        batch_op.drop_column("plan_year")
        batch_op.drop_column("demand_call_id")
        batch_op.drop_column("classified")
        batch_op.drop_column("predecessor_project_id")
        batch_op.drop_column("yearly_funding")
        batch_op.drop_column("schedule")
        batch_op.drop_column("preparation_status")
        batch_op.drop_column("basis_documents")
        batch_op.drop_column("background")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_name")
        batch_op.drop_column("leader_phone")
        batch_op.drop_column("leader_name")
        batch_op.drop_column("supervising_department")

    with op.batch_alter_table("project_material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_material_project_id"))

    op.drop_table("project_material")
    with op.batch_alter_table("catalog_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_entry_project_id"))

    op.drop_table("catalog_entry")
    op.drop_table("demand_call")
    # ### end Alembic commands ###
