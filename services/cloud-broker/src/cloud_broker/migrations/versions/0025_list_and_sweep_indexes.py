"""indexes: the deadline scheduler's sweep and the overdue and paused lists read only open
deadlines (partial indexes); requests and changes are listed off an index in (submitted_at, id)
order, the bureau's and a unit's (the unit's also answers lookups by org_id)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:00:00.000000

On PostgreSQL a plain CREATE INDEX blocks writes to the table while it is built; these tables
are small enough for a deployment window (CONCURRENTLY cannot run in Alembic's transaction).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name -> (columns, predicate): the predicates are the models' (deadlines/models.py).
DEADLINE = {
    "ix_deadline_unraised": (
        ["due_at"],
        "met_at IS NULL AND passed_at IS NULL AND paused_at IS NULL",
    ),
    "ix_deadline_open_running": (["due_at", "id"], "met_at IS NULL AND paused_at IS NULL"),
    "ix_deadline_open_paused": (["paused_at", "id"], "met_at IS NULL AND paused_at IS NOT NULL"),
}
LISTS = {"resource_request": "submitted_at", "change_request": "submitted_at"}


def upgrade() -> None:
    for name, (columns, where) in DEADLINE.items():
        op.create_index(
            name,
            "deadline",
            columns,
            unique=False,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )
    for table, key in LISTS.items():
        op.create_index(f"ix_{table}_submitted", table, [key, "id"], unique=False)
        op.create_index(f"ix_{table}_org_submitted", table, ["org_id", key, "id"], unique=False)
        op.drop_index(f"ix_{table}_org_id", table_name=table)


def downgrade() -> None:
    for table in reversed(list(LISTS)):
        op.create_index(f"ix_{table}_org_id", table, ["org_id"], unique=False)
        op.drop_index(f"ix_{table}_org_submitted", table_name=table)
        op.drop_index(f"ix_{table}_submitted", table_name=table)
    for name in reversed(list(DEADLINE)):
        op.drop_index(name, table_name="deadline")
