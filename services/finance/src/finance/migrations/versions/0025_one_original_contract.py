"""one original contract per procurement: a partial unique index on contract(procurement_id)
where parent_contract_id is null

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "uq_contract_original_per_procurement",
        "contract",
        ["procurement_id"],
        unique=True,
        postgresql_where=sa.text("parent_contract_id IS NULL"),
        sqlite_where=sa.text("parent_contract_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_contract_original_per_procurement", table_name="contract")
