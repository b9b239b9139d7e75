"""On SQLite (the embedded default) a check and the write it allows are in one transaction:
two units of work that read a balance, then spend from it, take turns, as FOR UPDATE makes
them on PostgreSQL; neither spends what the other already spent."""

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
