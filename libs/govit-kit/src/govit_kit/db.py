"""Database access: engines, column types, the platform tables every service has, and the unit of work."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:
    from govit_kit.uow import UnitOfWork

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_id() -> str:
    """A new identifier (UUID4, as text so every database stores it the same way)."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator):
    """An exact amount in yuan: NUMERIC(18,2), Decimal in Python, never float."""

    impl = Numeric(18, 2, asdecimal=True)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError("money must be a Decimal")
        return value.quantize(Decimal("0.01"))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def new_metadata() -> MetaData:
    """A service's own MetaData, with the platform tables already on it."""
    metadata = MetaData(naming_convention=NAMING)
    PlatformTables(metadata)
    return metadata


class PlatformTables:
    """The outbox, inbox, dead-letter and idempotency tables, on a service's own metadata."""

    def __init__(self, metadata: MetaData) -> None:
        if "outbox" in metadata.tables:
            self.outbox = metadata.tables["outbox"]
            self.inbox = metadata.tables["inbox"]
            self.dead_letter = metadata.tables["dead_letter"]
            self.idempotency = metadata.tables["idempotency_key"]
            return
        # Transactional outbox: written with the state change, published by the relay.
        self.outbox = Table(
            "outbox",
            metadata,
            Column("seq", BigIntPK, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False, unique=True),
            Column("nats_subject", String(255), nullable=False),
            Column("event_type", String(255), nullable=False),
            Column("source", String(255), nullable=False),
            Column("subject", String(255), nullable=False),
            Column("org_id", String(64)),
            Column("project_id", String(64)),
            Column("event_time", UTCDateTime(), nullable=False),
            Column("payload_type", String(255), nullable=False),
            Column("payload", LargeBinary, nullable=False),
            Column("traceparent", String(64)),
            Column("actor", String(128)),
            Column("published_at", UTCDateTime()),
            Column("attempts", Integer, nullable=False, default=0),
        )
        Index("ix_outbox_unpublished", self.outbox.c.published_at, self.outbox.c.seq)
        # Inbox: ids of events this service applied, written with the effect.
        self.inbox = Table(
            "inbox",
            metadata,
            Column("event_id", String(36), primary_key=True),
            Column("consumer", String(128), primary_key=True),
            Column("event_type", String(255), nullable=False),
            Column("applied_at", UTCDateTime(), nullable=False),
            Column("outcome", String(16), nullable=False),  # applied | dead_letter | replayed
        )
        # Dead letters: events that failed N times; kept and listed, never dropped.
        self.dead_letter = Table(
            "dead_letter",
            metadata,
            Column("id", BigIntPK, primary_key=True, autoincrement=True),
            Column("event_id", String(36), nullable=False),
            Column("consumer", String(128), nullable=False),
            Column("nats_subject", String(255), nullable=False),
            Column("event_type", String(255), nullable=False),
            Column("headers", JSON, nullable=False),
            Column("payload", LargeBinary, nullable=False),
            Column("error", Text, nullable=False),
            Column("attempts", Integer, nullable=False),
            Column("created_at", UTCDateTime(), nullable=False),
        )
        # Idempotency keys: the response of a client-retried write, stored with its effect.
        self.idempotency = Table(
            "idempotency_key",
            metadata,
            Column("key", String(128), primary_key=True),
            Column("org_id", String(64), primary_key=True),
            Column("subject", String(128), nullable=False),
            Column("route", String(255), nullable=False),
            Column("fingerprint", String(64), nullable=False),
            Column("status", Integer, nullable=False),
            Column("body", JSON, nullable=False),
            Column("created_at", UTCDateTime(), nullable=False),
        )


SQLITE_AT_LEAST = (3, 35)  # UPDATE ... RETURNING


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL and a busy timeout so the relay and requests share it.

    SQLite's transactions begin IMMEDIATE, taking its one write lock at their first statement:
    the driver would otherwise begin them at their first write, leaving the checks read before
    it (a balance, a quota, a state) outside the transaction, where a concurrent request's
    commit slips between check and write. FOR UPDATE and advisory locks, PostgreSQL's way of
    making such checks take turns, do not exist there; this is its way."""
    if url.startswith("sqlite"):
        if sqlite3.sqlite_version_info < SQLITE_AT_LEAST:  # audit's appends use RETURNING
            raise RuntimeError(
                f"SQLite {sqlite3.sqlite_version} is too old for the embedded default: it needs "
                f"{'.'.join(map(str, SQLITE_AT_LEAST))} or later (or PostgreSQL for every service)"
            )
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA case_sensitive_like=ON")  # LIKE as PostgreSQL's: ORG-A is not org-a
            cur.close()
            dbapi_conn.isolation_level = None  # the driver's own BEGIN before a write: off

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_async_engine(url, pool_size=10, max_overflow=10)

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        # A connection the server dropped is replaced before a transaction uses it. One round
        # trip: SQLAlchemy's pool_pre_ping takes three on asyncpg (BEGIN, ";", ROLLBACK, for
        # pgbouncer's transaction mode, which the platform does not use), 13% of a REST call's
        # CPU in a profile. DisconnectionError makes the pool retry with a fresh connection.
        try:
            dbapi_conn.run_async(lambda conn: conn.fetchrow(";"))
        except Exception as exc:
            raise DisconnectionError(f"pooled connection is gone: {exc}") from exc

    return engine


def is_postgres(engine: AsyncEngine) -> bool:
    """Whether the engine talks to PostgreSQL (row locks with SKIP LOCKED are available)."""
    return engine.dialect.name == "postgresql"


class Database:
    """A service's engine, session factory and platform tables."""

    def __init__(
        self, url: str, metadata: MetaData, *, service: str, subject_root: str = "govit"
    ) -> None:
        self.service = service
        self.subject_root = subject_root
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self.tables = PlatformTables(metadata)
        self.metadata = metadata
        self._after_commit: list[Callable[[], None]] = []

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call back after every unit of work that wrote events commits (wakes the relay)."""
        self._after_commit.append(callback)

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work: one transaction holding a state change and its events."""
        from govit_kit.uow import UnitOfWork

        return UnitOfWork(self)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
