"""provider_report.decisions: L13's decision on a monthly report's filing, a flag naming the
article and the due date when it was late (PDS C art14, art17; SN C art19, art22, art28)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 16:00:00.000000

No backfill: reports filed before keep their `late` flag and get no decision (`[]`); their
article and due date could only be read from the service's profile, which a migration does
not load.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("provider_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decisions", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("provider_report", schema=None) as batch_op:
        batch_op.alter_column("decisions", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("provider_report", schema=None) as batch_op:
        batch_op.drop_column("decisions")
