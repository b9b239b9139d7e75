"""Unit-of-work commit rate: one row and one outbox event per transaction.

Figure: `async with db.unit_of_work()` inserting one row and emitting one event, in
commits/s. Reference: bare SQLAlchemy Core transactions on the same engine inserting one
row, in commits/s. The sides alternate in rounds.
"""

from __future__ import annotations

import time

from bench.infra import AGGREGATE, EVENT, Infra, Result, Sandbox, alternate, sample_message
from govit_kit.db import new_id

NAME = "uow_commit"
WARMUP = 50


async def _bare(sb: Sandbox, count: int) -> float:
    items, engine = sb.items, sb.db.engine
    start = time.perf_counter()
    for i in range(count):
        async with engine.begin() as conn:
            await conn.execute(items.insert().values(ref=new_id(), n=i))
    return time.perf_counter() - start


async def _uow(sb: Sandbox, count: int) -> float:
    items, db = sb.items, sb.db
    message = sample_message()
    start = time.perf_counter()
    for i in range(count):
        async with db.unit_of_work() as uow:
            ref = new_id()
            await uow.session.execute(items.insert().values(ref=ref, n=i))
            await uow.emit(AGGREGATE, EVENT, message, subject=ref, org_id="org-bench")
    return time.perf_counter() - start


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    async with infra.sandbox(NAME) as sb:
        warm = time.perf_counter()
        await _bare(sb, WARMUP)
        await _uow(sb, WARMUP)
        timed = await alternate(
            n,
            budget_s,
            (time.perf_counter() - warm) / WARMUP,
            lambda count: _bare(sb, count),
            lambda count: _uow(sb, count),
        )
    return Result(
        NAME,
        timed.n / timed.subject_s,
        "commits/s",
        "bare Core transaction (same engine)",
        timed.n / timed.reference_s,
        "commits/s",
        timed.n,
    )
