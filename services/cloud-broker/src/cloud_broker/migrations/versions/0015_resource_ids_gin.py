"""resource ids: jsonb and a GIN index on PostgreSQL (one provider id, one resource)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # json has no operators an index serves; jsonb's ?| is served by a GIN index. The
        # conversion rewrites the table under an exclusive lock (once).
        op.alter_column(
            "resource_request",
            "resource_ids",
            existing_type=sa.JSON(),
            type_=postgresql.JSONB(),
            existing_nullable=False,
            postgresql_using="resource_ids::jsonb",
        )
    # On SQLite a plain index (the model declares one index for both backends); unused there.
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resource_request_resource_ids",
            ["resource_ids"],
            unique=False,
            postgresql_using="gin",
        )


def downgrade() -> None:
    with op.batch_alter_table("resource_request", schema=None) as batch_op:
        batch_op.drop_index("ix_resource_request_resource_ids")
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "resource_request",
            "resource_ids",
            existing_type=postgresql.JSONB(),
            type_=sa.JSON(),
            existing_nullable=False,
            postgresql_using="resource_ids::json",
        )
