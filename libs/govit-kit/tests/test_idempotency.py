"""Idempotency-Key: a retry sent while the first attempt still runs waits for it and replays
its response; the action runs once (PostgreSQL and SQLite)."""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import Column, String, Table, Text, func, select

from govit_kit.auth import Principal, Role
from govit_kit.db import Database, new_id, new_metadata
from govit_kit.errors import InvalidInput
from govit_kit.idempotency import idempotent

ALICE = Principal(subject="alice", org_id="org-a", roles=frozenset({Role.UNIT_STAFF}))


@pytest.fixture(params=["postgresql", "sqlite"])
async def db(request, databases, tmp_path):
    """A test service's database on PostgreSQL, then on SQLite (the embedded default)."""
    if request.param == "postgresql":
        url = await databases.create("idem")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path}/idem.db"
    metadata = new_metadata()
    Table(
        "note",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("text", Text, nullable=False),
    )
    database = Database(url, metadata, service="kittest")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


def writer(db: Database):
    """An action that writes a note and answers its new id, counting how often it ran; the
    first run signals it has started and then takes its time."""
    note = db.metadata.tables["note"]
    started, runs = asyncio.Event(), []

    async def action(uow):
        runs.append(1)
        started.set()
        note_id = new_id()
        await uow.session.execute(note.insert().values(id=note_id, text="paid"))
        await asyncio.sleep(0.3)
        return {"id": note_id}

    return action, started, runs


async def test_a_retry_racing_the_first_attempt_replays_its_answer(db):
    rt = SimpleNamespace(db=db)
    action, started, runs = writer(db)

    def attempt():
        return idempotent(
            rt,
            key="retry-key-0001",
            who=ALICE,
            route="POST /v1/notes",
            request={"text": "paid"},
            status_code=201,
            action=action,
        )

    first = asyncio.create_task(attempt())
    await started.wait()  # the first attempt is inside its action: the retry arrives now
    second = await attempt()
    first = await first
    assert runs == [1]  # one effect
    assert (second.status_code, json.loads(second.body)) == (201, json.loads(first.body))
    assert second.headers["Idempotent-Replayed"] == "true"
    async with db.sessions() as session:
        note = db.metadata.tables["note"]
        assert await session.scalar(select(func.count()).select_from(note)) == 1

    # The same key with a different request is still refused, naming the header.
    with pytest.raises(InvalidInput) as refused:
        await idempotent(
            rt,
            key="retry-key-0001",
            who=ALICE,
            route="POST /v1/notes",
            request={"text": "other"},
            status_code=201,
            action=action,
        )
    assert refused.value.extensions["errors"][0]["field"] == "Idempotency-Key"


async def test_other_keys_do_not_wait(db):
    """On PostgreSQL two keys run side by side: the turns are per key (and organisation). SQLite
    has one writer, so there every transaction takes its turn, whatever its key."""
    rt = SimpleNamespace(db=db)
    inside = 0
    most = 0

    async def action(uow):
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        await asyncio.sleep(0.2)
        inside -= 1
        return {"ok": True}

    async def attempt(key):
        return await idempotent(
            rt,
            key=key,
            who=ALICE,
            route="POST /v1/notes",
            request={},
            status_code=201,
            action=action,
        )

    answers = await asyncio.gather(attempt("key-one-0001"), attempt("key-two-0002"))
    assert [a.status_code for a in answers] == [201, 201]
    assert most == (2 if db.engine.dialect.name == "postgresql" else 1)
