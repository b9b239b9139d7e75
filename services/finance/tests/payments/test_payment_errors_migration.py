"""0030: a held payment refused on release used to store each refusal no rule makes (the
balance where no I5 applies, a termination with no article) as a "refuse" decision with an
empty rule id; those entries move to payment.errors, the rules' decisions stay."""

import asyncio
import json

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from finance.main import spec as finance_spec
from govit_kit import migrations

I4 = {"rule_id": "I4", "article": "WH art20", "outcome": "allow", "reason": "no finding"}
SHORT = {
    "rule_id": "",
    "article": "",
    "outcome": "refuse",
    "reason": "the funding line holds 70000.00 yuan, less than 80000.00",
    "figures": {"field": "amount"},
}


async def test_ruleless_refusals_move_to_errors(tmp_path):
    spec = finance_spec()
    url = f"sqlite+aiosqlite:///{tmp_path / 'finance.db'}"
    await asyncio.to_thread(migrations.upgrade, spec, url, "0029")
    engine = create_async_engine(url)
    insert = sa.text(
        "INSERT INTO payment (id, project_id, org_id, contract_id, funding_line_id, amount, "
        "purpose, status, decisions, requested_by, requested_at) VALUES (:id, 'p1', 'org-a', "
        "'c1', 'l1', 80000, 'construction', :status, :decisions, 'staff', "
        "'2026-11-01 00:00:00')"
    )
    async with engine.begin() as conn:
        await conn.execute(
            insert, {"id": "refused", "status": "refused", "decisions": json.dumps([I4, SHORT])}
        )
        await conn.execute(
            insert, {"id": "approved", "status": "approved", "decisions": json.dumps([I4])}
        )
    await asyncio.to_thread(migrations.upgrade, spec, url)
    async with engine.begin() as conn:
        rows = {
            r.id: (json.loads(r.decisions), json.loads(r.errors))
            for r in await conn.execute(sa.text("SELECT id, decisions, errors FROM payment"))
        }
    assert rows == {
        "refused": ([I4], [{"field": "amount", "message": SHORT["reason"]}]),
        "approved": ([I4], []),
    }
    await asyncio.to_thread(migrations.upgrade, spec, url)  # idempotent at head
    await engine.dispose()
