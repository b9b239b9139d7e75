"""provider contract: a version counted up by each write (each one an event), and the version a
settlement applied

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "provider_contract",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    )
    op.add_column("cloud_settlement", sa.Column("contract_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("cloud_settlement", "contract_version")
    op.drop_column("provider_contract", "version")
