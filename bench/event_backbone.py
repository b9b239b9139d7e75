"""The event backbone end to end: outbox commit -> relay -> JetStream -> audit's consumer ->
the next leaf of audit's Merkle log, on PostgreSQL.

Figure: events/s from the first commit to the last append, for a burst of events committed
as fast as the emitter can (10 per transaction). The emitter is this process playing a
service: its own PostgreSQL database, govit_kit's UnitOfWork.emit and OutboxRelay (the code
every service runs), on the platform's stream; the consumer is the audit service's process
(govit_kit.inbox.Consumers: a fetched batch in one transaction, with its inbox rows, leaves,
Merkle nodes, log size and compliance checks). An event counts when its audit_entry row is
committed.
Latency: at a steady rate (LATENCY_RATE/s, one event per transaction), commit (wall clock
after the emitter's commit) to audit_entry.recorded_at (audit's wall clock, same machine,
stamped inside its transaction: its commit adds a little), p50 and p99.
Reference: raw nats-py JetStream async publish (js.publish_async, then wait for every ack)
of the same number of messages (same payload and headers) to a stream of its own on the same
nats-server, in msg/s. Rounds alternate: raw, backbone, backbone, raw. Also printed: bare
PostgreSQL commits/s on one connection, measured right after (each hop commits: the emitter,
the relay marking rows sent, audit's consumer).
CPU: microseconds of CPU per event in each process it passes through during the backbone
rounds (this process as emitter and relay, nats-server, every PostgreSQL process, audit, the
other services), the same for the raw rounds, how busy the whole machine was, and the CPU per
event that the goal (half the raw rate) allows with every core busy. The backbone's total
against that allowance says whether the goal is a matter of overlap or of work per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from urllib.parse import urlparse

import asyncpg
from nats.js.api import StreamConfig

from bench.infra import (
    AGGREGATE,
    EVENT,
    SERVICE,
    Infra,
    Result,
    bench_metadata,
    raw_headers,
    sample_message,
)
from bench.services import CpuMeter, percentile, postgres_pids
from govit_kit.bus import Bus
from govit_kit.config import Settings
from govit_kit.db import Database
from govit_kit.outbox import OutboxRelay

NAME = "event_backbone"
PER_UOW = 10  # events per emitter transaction in the burst
LATENCY_RATE = 25.0  # events/s, one per transaction, for the latency figure
DEADLINE_S = 180.0
WARMUP = 200  # also sizes the rounds: a smaller burst is mostly the pipeline's fixed latency


def plain(url: str) -> str:
    """An asyncpg URL from a SQLAlchemy one."""
    return urlparse(url)._replace(scheme="postgresql").geturl()


class Emitter:
    """This process as a service that emits events: outbox, relay, bus."""

    def __init__(self, db: Database, bus: Bus, settings: Settings) -> None:
        self.db, self.bus, self.settings = db, bus, settings
        self.message = sample_message()
        self.committed: dict[str, float] = {}  # event id -> wall time after its commit

    async def emit(self, count: int) -> list[str]:
        """Commit `count` events (in transactions of up to `per_uow`); their ids."""
        ids = []
        async with self.db.unit_of_work() as uow:
            for _ in range(count):
                ids.append(
                    await uow.emit(
                        AGGREGATE,
                        EVENT,
                        self.message,
                        subject=self.message.project_id,
                        org_id="org-bench",
                    )
                )
        now = time.time()
        for i in ids:
            self.committed[i] = now
        return ids


async def appended(audit: asyncpg.Connection, ids: list[str]) -> dict[str, float]:
    """Which of these events audit's log holds, and when each was recorded (epoch seconds)."""
    rows = await audit.fetch(
        "SELECT event_id, recorded_at FROM audit_entry WHERE event_id = ANY($1::text[])", ids
    )
    return {r["event_id"]: r["recorded_at"].timestamp() for r in rows}


async def wait_appended(audit: asyncpg.Connection, ids: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    while True:
        got = await appended(audit, ids)
        if len(got) == len(ids):
            return got
        if time.perf_counter() - start > DEADLINE_S:
            raise RuntimeError(f"audit holds {len(got)} of {len(ids)} events")
        await asyncio.sleep(0.05)


async def burst(em: Emitter, audit: asyncpg.Connection, count: int) -> float:
    """Seconds from the first commit to the last append, for `count` events."""
    ids: list[str] = []
    first = time.time()
    done = 0
    while done < count:
        batch = min(PER_UOW, count - done)
        ids += await em.emit(batch)
        done += batch
    got = await wait_appended(audit, ids)
    return max(got.values()) - first


async def steady(em: Emitter, audit: asyncpg.Connection, count: int) -> list[float]:
    """Commit-to-append latencies (s) of `count` events committed one a transaction at a rate."""
    ids: list[str] = []
    start = time.perf_counter()
    for i in range(count):
        delay = start + i / LATENCY_RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        ids += await em.emit(1)
    got = await wait_appended(audit, ids)
    return [got[i] - em.committed[i] for i in ids]


async def commit_rate(conn: asyncpg.Connection, count: int) -> float:
    """Bare PostgreSQL commits/s on one connection (one-row insert each): the bound on a
    consumer that applies one event per transaction."""
    await conn.execute("CREATE TABLE IF NOT EXISTS bench_commit_rate (n int)")
    start = time.perf_counter()
    for i in range(count):
        await conn.execute("INSERT INTO bench_commit_rate VALUES ($1)", i)  # autocommit
    return count / (time.perf_counter() - start)


async def raw(js, stream_subject: str, count: int) -> float:
    """Seconds to publish `count` messages with js.publish_async and have every ack."""
    message = sample_message()
    payload = message.SerializeToString(deterministic=True)
    headers = [raw_headers(message, subject=message.project_id) for _ in range(count)]
    start = time.perf_counter()
    futures = [await js.publish_async(stream_subject, payload, headers=h) for h in headers]
    await asyncio.gather(*futures)
    return time.perf_counter() - start


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    plat = await infra.platform()
    assert plat.space is not None and plat.nats is not None
    settings = Settings(
        service=SERVICE,
        nats_url=plat.nats.url,
        stream=plat.space.stream,
        subject_root=plat.space.subject_root,
        data_dir=plat.tmp,
    )
    url = await plat.dbs.create("bench_emitter")
    metadata, _ = bench_metadata()
    db = Database(url, metadata, service=SERVICE, subject_root=plat.space.subject_root)
    bus = Bus(settings)
    stop = asyncio.Event()
    relay_task = None
    raw_stream = f"BENCHRAW_{uuid.uuid4().hex[:8]}"
    audit = await asyncpg.connect(plain(plat.database_urls["audit"]))
    try:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await bus.connect()
        js = bus.js
        assert js is not None
        await js.add_stream(StreamConfig(name=raw_stream, subjects=[f"{raw_stream.lower()}.>"]))
        raw_subject = f"{raw_stream.lower()}.item.created"
        relay = OutboxRelay(
            db,
            bus,
            batch=settings.relay_batch,
            timeout_s=settings.publish_timeout_s,
            idle_s=settings.relay_idle_s,
        )
        relay_task = asyncio.create_task(relay.run(stop))
        em = Emitter(db, bus, settings)

        await raw(js, raw_subject, WARMUP)
        warm = time.perf_counter()
        await burst(em, audit, WARMUP)
        per_event = (time.perf_counter() - warm) / WARMUP
        # Two rounds a side (raw, backbone, backbone, raw), sized to the budget.
        chunk = max(WARMUP, min(n // 2, int(budget_s * 0.6 / 2 / max(per_event, 1e-4))))
        raw_s = backbone_s = 0.0
        raw_cpu, backbone_cpu = cpu_meter(plat), cpu_meter(plat)
        with raw_cpu:
            raw_s += await raw(js, raw_subject, chunk)
        with backbone_cpu:
            backbone_s += await burst(em, audit, chunk)
            backbone_s += await burst(em, audit, chunk)
        with raw_cpu:
            raw_s += await raw(js, raw_subject, chunk)
        latency_n = max(50, min(n // 2, int(LATENCY_RATE * budget_s * 0.4)))
        latencies = await steady(em, audit, latency_n)
        emitter_db = await asyncpg.connect(plain(url))
        try:
            commits = await commit_rate(emitter_db, max(50, chunk // 2))
        finally:
            await emitter_db.close()
    finally:
        stop.set()
        if relay_task is not None:
            relay_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay_task
        with contextlib.suppress(Exception):
            await bus.js.delete_stream(raw_stream)
        await bus.close()
        await db.dispose()
        await audit.close()
    total = 2 * chunk
    cpu = {f"cpu_us_per_event_{k}": round(v) for k, v in backbone_cpu.per(total).items()}
    # The CPU an event may cost, all of it included, for the goal's rate on every core.
    goal_us = (os.cpu_count() or 1) * 1e6 / (0.5 * total / raw_s)
    return Result(
        NAME,
        total / backbone_s,
        "events/s",
        "raw JetStream publish_async (same server)",
        total / raw_s,
        "msg/s",
        total,
        {
            "latency_rate_per_s": LATENCY_RATE,
            "latency_n": latency_n,
            "commit_to_audit_p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "commit_to_audit_p99_ms": round(percentile(latencies, 99) * 1000, 1),
            "commit_to_audit_max_ms": round(max(latencies) * 1000, 1),
            "postgres_bare_commits_per_s": round(commits, 1),
            **cpu,
            "machine_busy_percent_backbone": round(100 * backbone_cpu.busy_s / backbone_cpu.wall_s),
            "raw_cpu_us_per_msg_total": round(raw_cpu.per(total)["total"]),
            "cpu_us_per_event_allowed_at_goal": round(goal_us),
        },
    )


def cpu_meter(plat) -> CpuMeter:
    """The processes an event goes through: this one (emitter and relay, or the raw
    publisher), nats-server, PostgreSQL, audit, and the other services (idle here)."""
    others = [name for name in plat.pids() if name != "audit"]
    return CpuMeter(
        {
            "emitter_and_relay": lambda: [os.getpid()],
            "nats_server": lambda: [plat.nats.proc.pid],
            "postgres": postgres_pids,
            "audit": lambda: [plat.pids()["audit"]],
            "other_services": lambda: [plat.pids()[name] for name in others],
        }
    )
