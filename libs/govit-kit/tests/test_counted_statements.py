"""counted_statements: the statements an engine ran in a block, with their text and parameters
(a plan test EXPLAINs them, a paging test reads them for OFFSET), and their bound arguments
(query-count tests); `ignore` leaves out the relay's and consumers' own."""

from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.ext.asyncio import create_async_engine

from govit_kit.testing import counted_statements

metadata = MetaData()
numbers = Table("numbers", metadata, Column("n", Integer, primary_key=True))
others = Table("others", metadata, Column("n", Integer, primary_key=True))


async def test_statements_come_with_their_text_and_parameters(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 's.db'}")
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        with counted_statements(engine, ignore=("others",)) as ran:
            async with engine.begin() as conn:
                await conn.execute(numbers.insert(), [{"n": n} for n in range(1, 4)])
                await conn.execute(others.insert(), [{"n": 1}])
                rows = await conn.execute(select(numbers.c.n).where(numbers.c.n > 1))
                assert list(rows.scalars()) == [2, 3]
        assert ran.count == 2 and ran.arguments == [3, 1] and ran.most_arguments == 3
        [(insert, rows_in)] = ran.naming("INSERT", "numbers")
        assert list(rows_in) == [(1,), (2,), (3,)]
        [(query, parameters)] = ran.naming("SELECT", "FROM numbers")
        assert "WHERE numbers.n > ?" in query and tuple(parameters) == (1,)
        assert not ran.naming("others")
        async with engine.connect() as conn:  # what ran runs again with its own parameters
            again = await conn.exec_driver_sql(query, parameters)
            assert [r[0] for r in again] == [2, 3]
    finally:
        await engine.dispose()
