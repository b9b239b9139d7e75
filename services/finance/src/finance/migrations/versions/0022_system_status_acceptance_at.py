"""system status acceptance time (I3: an older acceptance from review does not overwrite a newer
record by finance's officer)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 16:00:00.000000
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
    with op.batch_alter_table("system_status", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("acceptance_at", govit_kit.db.UTCDateTime(timezone=True), nullable=True)
        )
    # An officer's record was made when it was last written; review's rows keep no time (the
    # next acceptance event applies, as before).
    op.execute(
        "UPDATE system_status SET acceptance_at = updated_at WHERE recorded_by <> 'service:review'"
    )


def downgrade() -> None:
    with op.batch_alter_table("system_status", schema=None) as batch_op:
        batch_op.drop_column("acceptance_at")
