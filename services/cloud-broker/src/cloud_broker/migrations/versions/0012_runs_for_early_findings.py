"""runs for early findings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 04:40:00.000000

Findings recorded before classification runs existed (0007) belong to no run. The
classification now takes a period's totals from its latest run and skips the conflict check
when the period has no run, so each such period gets a run holding those findings' counts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

finding = sa.table(
    "utilisation_finding",
    sa.column("period", sa.String),
    sa.column("finding", sa.String),
    sa.column("article", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("run_id", sa.String),
)
run = sa.table(
    "classification_run",
    sa.column("id", sa.String),
    sa.column("period", sa.String),
    sa.column("rule_id", sa.String),
    sa.column("article", sa.String),
    sa.column("thresholds", sa.JSON),
    sa.column("counts", sa.JSON),
    sa.column("run_by", sa.String),
    sa.column("run_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(
            finding.c.period,
            finding.c.finding,
            sa.func.count(),
            sa.func.max(finding.c.article),
            sa.func.min(finding.c.created_at),
        )
        .where(finding.c.run_id == "")
        .group_by(finding.c.period, finding.c.finding)
    ).all()
    runs: dict[str, dict] = {}
    for period, kind, n, article, first in rows:
        r = runs.setdefault(
            period,
            {
                "id": f"early-{period}",
                "period": period,
                "rule_id": "L11",
                "article": article,
                # Not recorded then: the thresholds those findings applied are unknown.
                "thresholds": {},
                "counts": {},
                "run_by": "migration:0012",
                "run_at": first,
            },
        )
        r["counts"][kind] = n
        r["run_at"] = min(r["run_at"], first)
    if runs:
        op.bulk_insert(run, list(runs.values()))
        for period in runs:
            conn.execute(
                finding.update()
                .where(finding.c.run_id == "", finding.c.period == period)
                .values(run_id=f"early-{period}")
            )


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(finding.update().where(finding.c.run_id.like("early-%")).values(run_id=""))
    conn.execute(run.delete().where(run.c.run_by == "migration:0012"))
