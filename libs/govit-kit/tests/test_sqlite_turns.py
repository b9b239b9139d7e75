"""SQLite as the embedded default runs it, behaving as PostgreSQL does where it matters: a check
and the write it allows are one turn (two units of work that read a balance, then spend from
it, take turns, as FOR UPDATE makes them on PostgreSQL), and LIKE tells case apart."""

from __future__ import annotations

import asyncio

from sqlalchemy import Column, Integer, String, Table, select, update

from govit_kit.db import Database, new_metadata


async def test_a_check_and_its_write_take_turns(tmp_path):
    metadata = new_metadata()
    line = Table(
        "line",
        metadata,
        Column("id", String(8), primary_key=True),
        Column("balance", Integer, nullable=False),
    )
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/turns.db", metadata, service="kittest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(line.insert().values(id="l1", balance=100))

    async def spend(amount: int) -> bool:
        async with db.unit_of_work() as uow:
            balance = await uow.session.scalar(select(line.c.balance).where(line.c.id == "l1"))
            await asyncio.sleep(0.2)  # the other request arrives meanwhile
            if balance < amount:
                return False
            await uow.session.execute(
                update(line).where(line.c.id == "l1").values(balance=balance - amount)
            )
            return True

    try:
        spent = await asyncio.gather(spend(60), spend(60))
        async with db.sessions() as session:
            left = await session.scalar(select(line.c.balance))
    finally:
        await db.dispose()
    assert sorted(spent) == [False, True]
    assert left == 40


async def test_like_tells_case_apart_as_on_postgresql(tmp_path):
    """A unit's id matched inside a JSON list of participants (intake's framework plans) must
    not match another unit's id that differs only in case."""
    metadata = new_metadata()
    plan = Table("plan", metadata, Column("participants", String(200), nullable=False))
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/like.db", metadata, service="kittest")
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.execute(plan.insert().values(participants='["ORG-A"]'))
    try:
        async with db.sessions() as session:
            found = await session.scalar(
                select(plan.c.participants).where(plan.c.participants.contains('"org-a"'))
            )
    finally:
        await db.dispose()
    assert found is None
