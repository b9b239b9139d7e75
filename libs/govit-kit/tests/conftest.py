"""A tiny test service for the chassis tests: one `note` table, its Database, Bus and relay.

Everything runs on real PostgreSQL and NATS (the `databases` and `event_space` fixtures of
govit_kit.testing); nothing stands in for either.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import pytest_asyncio
from sqlalchemy import Column, MetaData, String, Table, Text, func, select

from govit.common.v1.common_pb2 import OrgRef
from govit_kit.bus import Bus
from govit_kit.config import Settings
from govit_kit.db import Database, new_id, new_metadata, utcnow
from govit_kit.events import headers_for
from govit_kit.outbox import OutboxRelay
from govit_kit.testing import Databases, EventSpace, delete_stream, run_service, settings_for

SERVICE = "kittest"
NOTE_TYPE = f"govit.{SERVICE}.note.created"


def kit_metadata() -> MetaData:
    """The test service's tables: the platform tables plus note(id, text)."""
    metadata = new_metadata()
    Table(
        "note",
        metadata,
        Column("id", String(36), primary_key=True, default=new_id),
        Column("text", Text, nullable=False),
    )
    return metadata


class Kit:
    """The test service: settings, database, bus; the resources it made are closed at the end."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.metadata = kit_metadata()
        self.note = self.metadata.tables["note"]
        self._dbs: list[Database] = []
        self.db = self.database()
        self.bus = Bus(settings)
        self._buses: list[Bus] = [self.bus]

    def database(self, subject_root: str | None = None) -> Database:
        """Another Database object on the same URL (as a second replica would hold)."""
        db = Database(
            self.settings.database_url,
            self.metadata,
            service=SERVICE,
            subject_root=subject_root or self.settings.subject_root,
        )
        self._dbs.append(db)
        return db

    async def bus_of_its_own(self) -> Bus:
        """A second, connected NATS connection (a second replica's)."""
        bus = Bus(self.settings)
        await bus.connect()
        self._buses.append(bus)
        return bus

    def relay(
        self, *, db: Database | None = None, bus: Bus | None = None, cls: type = OutboxRelay
    ) -> Any:
        """An outbox relay with the settings' knobs."""
        return cls(
            db or self.db,
            bus or self.bus,
            batch=self.settings.relay_batch,
            timeout_s=self.settings.publish_timeout_s,
            idle_s=self.settings.relay_idle_s,
        )

    async def create_tables(self) -> None:
        async with self.db.engine.begin() as conn:
            await conn.run_sync(self.metadata.create_all)

    async def count(self, table: Table, *where: Any) -> int:
        """How many rows of a table match."""
        async with self.db.sessions() as session:
            return await session.scalar(select(func.count()).select_from(table).where(*where))

    async def rows(self, table: Table, *where: Any) -> list[Any]:
        """The rows of a table that match."""
        async with self.db.sessions() as session:
            return list((await session.execute(select(table).where(*where))).all())

    async def write_note(self, text: str, *, db: Database | None = None) -> str:
        """A state change and its event in one unit of work; returns the event id."""
        async with (db or self.db).unit_of_work() as uow:
            note_id = new_id()
            await uow.session.execute(self.note.insert().values(id=note_id, text=text))
            return await uow.emit(
                "note", "created", OrgRef(org_id=text), subject=note_id, org_id="org-a"
            )

    @staticmethod
    def event_headers(event_id: str, *, subject: str = "n-1", msg_id: str | None = None) -> dict:
        """The NATS headers an outbox row of this service would carry (Nats-Msg-Id overridable)."""
        row = SimpleNamespace(
            event_id=event_id,
            source=f"/govit/{SERVICE}",
            event_type=NOTE_TYPE,
            event_time=utcnow(),
            subject=subject,
            payload_type=OrgRef.DESCRIPTOR.full_name,
            org_id="org-a",
            project_id=None,
            traceparent=None,
        )
        headers = headers_for(row)
        if msg_id is not None:
            headers["Nats-Msg-Id"] = msg_id
        return headers

    async def stream_messages(self, bus: Bus | None = None) -> list[Any]:
        """Every message the stream holds, read back by sequence."""
        js = (bus or self.bus).js
        assert js is not None
        info = await js.stream_info(self.settings.stream)
        if info.state.messages == 0:
            return []
        return [
            await js.get_msg(self.settings.stream, seq)
            for seq in range(info.state.first_seq, info.state.last_seq + 1)
        ]

    async def close(self) -> None:
        for bus in self._buses:
            await bus.close()
        for db in self._dbs:
            await db.dispose()


MakeKit = Callable[..., Awaitable[Kit]]


@pytest_asyncio.fixture
async def make_kit(databases, event_space, tmp_path) -> AsyncIterator[MakeKit]:
    """Makes test services on a fresh PostgreSQL database each; settings overrides as keywords."""
    made: list[Kit] = []

    async def make(*, space: EventSpace | None = None, connect: bool = True, **overrides) -> Kit:
        url = await databases.create("kit")
        settings = settings_for(
            SERVICE, database_url=url, space=space or event_space, data_dir=tmp_path, **overrides
        )
        kit = Kit(settings)
        made.append(kit)
        await kit.create_tables()
        if connect:
            await asyncio.wait_for(kit.bus.connect(), 20)
        return kit

    yield make
    for kit in made:
        await kit.close()


@pytest_asyncio.fixture(scope="module")
async def intake(request, postgres_admin_url, nats_url, jwt_dir) -> AsyncIterator[Any]:
    """The intake service running in this process on real PostgreSQL and NATS, shared by a
    module's tests (settings overrides from the module's `intake_settings`). Tests that share it
    use organisations of their own."""
    from intake.main import spec

    databases, tag = Databases(postgres_admin_url), uuid.uuid4().hex[:10]
    space = EventSpace(nats_url, f"M_{tag}", f"m{tag}.govit")
    overrides = getattr(request.module, "intake_settings", {})
    url = await databases.create("intake")
    running = await run_service(
        spec(), settings_for("intake", database_url=url, space=space, data_dir=jwt_dir, **overrides)
    )
    try:
        yield running
    finally:
        await running.shutdown()
        await delete_stream(nats_url, space.stream)
        await databases.drop_all()


@pytest_asyncio.fixture
async def kit(make_kit: MakeKit) -> Kit:
    """A connected test service with default settings."""
    return await make_kit()
