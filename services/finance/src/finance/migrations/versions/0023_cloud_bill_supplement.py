"""supplementary cloud bills (L10: cloud-broker's lines of a month arriving after its bill was
settled are verified as a supplementary bill of that month)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 16:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cloud_bill", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("supplement", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.drop_constraint(batch_op.f("uq_cloud_bill_provider_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_cloud_bill_provider_id"), ["provider_id", "month", "supplement"]
        )


def downgrade() -> None:
    with op.batch_alter_table("cloud_bill", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cloud_bill_provider_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_cloud_bill_provider_id"), ["provider_id", "month"]
        )
        batch_op.drop_column("supplement")
