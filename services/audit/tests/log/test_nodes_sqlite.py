"""Stored Merkle nodes read back on SQLite, the embedded default (no arrays to join there)."""

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from audit.log import service
from audit.log.models import MerkleNode


async def test_nodes_are_found_in_chunks_on_sqlite(tmp_path):
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(MerkleNode.__table__.create)
    stored = {
        (level, idx): bytes([level, idx % 256]) * 16 for level in range(3) for idx in range(400)
    }
    async with AsyncSession(engine) as session, session.begin():
        session.add_all(MerkleNode(level=lv, idx=ix, hash=h) for (lv, ix), h in stored.items())
    wanted = set(stored) | {(0, 400), (5, 1)}  # 1,200 stored (several queries) and two absent
    async with AsyncSession(engine) as session:
        found = await service.nodes(session, wanted)
    await engine.dispose()
    assert found == stored
