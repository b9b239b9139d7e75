"""payment.errors: why a held payment was refused on release where no rule refuses it (the
balance where no I5 applies, a termination with no article, a closed line), as {field,
message}; the entries stored before as refusals without a rule id move there

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

payment = sa.table(
    "payment",
    sa.column("id", sa.String()),
    sa.column("status", sa.String()),
    sa.column("decisions", sa.JSON()),
    sa.column("errors", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("errors", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.alter_column("errors", server_default=None)
    # A refusal on release stored a "refuse" entry with an empty rule id for each error.
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(payment.c.id, payment.c.decisions).where(payment.c.status == "refused")
    ).all()
    for payment_id, decisions in rows:
        ruleless = [d for d in decisions or [] if not d.get("rule_id")]
        if not ruleless:
            continue
        errors = [
            {"field": (d.get("figures") or {}).get("field", ""), "message": d.get("reason", "")}
            for d in ruleless
        ]
        kept = [d for d in decisions if d.get("rule_id")]
        bind.execute(
            payment.update().where(payment.c.id == payment_id).values(decisions=kept, errors=errors)
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(payment.c.id, payment.c.decisions, payment.c.errors).where(
            payment.c.status == "refused"
        )
    ).all()
    for payment_id, decisions, errors in rows:
        if not errors:
            continue
        old = [
            {
                "rule_id": "",
                "article": "",
                "outcome": "refuse",
                "reason": e.get("message", ""),
                "figures": {"field": e.get("field", "")},
            }
            for e in errors
        ]
        bind.execute(
            payment.update()
            .where(payment.c.id == payment_id)
            .values(decisions=[*(decisions or []), *old])
        )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_column("errors")
