"""price ranges and billed months: the database refuses two prices of one SKU and platform in
force on one day (a backstop to the flows' check under the SKU's lock), and a month is billed
once (billing_month, one row per period, backfilled from the months already billed)

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-08 10:00:00.000000

Prices that already overlap are not resolved here: which of two prices a month was billed at,
and which should stand, is the bureau's to decide, and either answer changes money. The
migration fails naming every overlapping pair; close one of each (POST
/v1/catalog/prices/{id}/close ending it before the other begins, with the service still on
the previous version) or correct the rows, then run it again.

On PostgreSQL the backstop is an exclusion constraint, which needs the btree_gist extension
(in PostgreSQL's contrib, trusted since PostgreSQL 13: the database's owner may create it); on
SQLite, the embedded default, two triggers (SQLite writes one transaction at a time, so a
trigger's look at the table sees every committed price).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govit_kit.db

revision: str = "0028"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXCLUDE = "ex_sku_price_one_in_force"
TRIGGERS = ("sku_price_one_in_force_insert", "sku_price_one_in_force_update")
REFUSED = "two prices of one SKU and platform in force on one day"

# Two prices of one SKU and platform whose ranges (valid_to inclusive, NULL open) meet.
OVERLAPS = """
    SELECT a.id, b.id, a.sku_code, a.platform_id, a.valid_from, a.valid_to, b.valid_from,
           b.valid_to
    FROM sku_price a JOIN sku_price b
      ON a.sku_code = b.sku_code AND a.platform_id = b.platform_id AND a.id < b.id
     AND (b.valid_to IS NULL OR a.valid_from <= b.valid_to)
     AND (a.valid_to IS NULL OR b.valid_from <= a.valid_to)
    ORDER BY a.sku_code, a.platform_id, a.valid_from, a.id, b.id
"""
# The same test of NEW against the other rows, for SQLite's triggers.
MEETS = """
    EXISTS (SELECT 1 FROM sku_price p
            WHERE p.id != NEW.id AND p.sku_code = NEW.sku_code
              AND p.platform_id = NEW.platform_id
              AND (NEW.valid_to IS NULL OR p.valid_from <= NEW.valid_to)
              AND (p.valid_to IS NULL OR NEW.valid_from <= p.valid_to))
"""


def upgrade() -> None:
    bind = op.get_bind()
    overlapping = bind.execute(sa.text(OVERLAPS)).all()
    if overlapping:
        pairs = "; ".join(
            f"{sku} on {platform}: {a} ({af} to {at or 'open'}) and {b} ({bf} to {bt or 'open'})"
            for a, b, sku, platform, af, at, bf, bt in overlapping
        )
        raise RuntimeError(
            f"sku_price holds {REFUSED} ({len(overlapping)} pairs): {pairs}. Nothing was "
            "changed. Close one price of each pair (POST /v1/catalog/prices/{id}/close, ending "
            "it before the other begins) or correct the rows, then migrate again."
        )
    if bind.dialect.name == "postgresql":
        available = bind.execute(
            sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'")
        ).first()
        if available is None:
            raise RuntimeError(
                "the PostgreSQL extension btree_gist is not installed on the server (it is in "
                "PostgreSQL's contrib package): install it, then migrate again"
            )
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE sku_price ADD CONSTRAINT {EXCLUDE} EXCLUDE USING gist "
            "(sku_code WITH =, platform_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)"
        )
    else:
        for name, when in zip(
            TRIGGERS,
            ("INSERT", "UPDATE OF sku_code, platform_id, valid_from, valid_to"),
            strict=True,
        ):
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {when} ON sku_price WHEN {MEETS} "
                f"BEGIN SELECT RAISE(ABORT, 'sku_price: {REFUSED}'); END"
            )

    op.create_table(
        "billing_month",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("closed_at", govit_kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=128), nullable=False),
        sa.Column("bill_lines", sa.Integer(), nullable=False),
        sa.Column("unpriced", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_billing_month")),
    )
    # The months billed before: each month with bill lines or a close (a month with nothing to
    # bill has only its close, in the outbox, which keeps every event). What they left
    # unpriced was never kept: NULL.
    when = govit_kit.db.UTCDateTime(timezone=True)
    lines = sa.table("bill_line", sa.column("period", sa.String()), sa.column("created_at", when))
    outbox = sa.table(
        "outbox",
        sa.column("subject", sa.String()),
        sa.column("event_type", sa.String()),
        sa.column("event_time", when),
    )
    months: dict[str, list] = {}
    for period, count, first in bind.execute(
        sa.select(lines.c.period, sa.func.count(), sa.func.min(lines.c.created_at)).group_by(
            lines.c.period
        )
    ):
        months[period] = [first, count]
    for period, first in bind.execute(
        sa.select(outbox.c.subject, sa.func.min(outbox.c.event_time))
        .where(outbox.c.event_type == "govit.cloud_broker.billing_month.closed")
        .group_by(outbox.c.subject)
    ):
        months.setdefault(period, [first, 0])[0] = first  # the close is the month's moment
    if months:
        op.bulk_insert(
            sa.table(
                "billing_month",
                sa.column("period", sa.String()),
                sa.column("closed_at", when),
                sa.column("closed_by", sa.String()),
                sa.column("bill_lines", sa.Integer()),
            ),
            [
                dict(period=p, closed_at=at, closed_by="", bill_lines=n)
                for p, (at, n) in sorted(months.items())
            ],
        )


def downgrade() -> None:
    op.drop_table("billing_month")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE sku_price DROP CONSTRAINT {EXCLUDE}")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
