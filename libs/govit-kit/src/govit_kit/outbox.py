"""The outbox relay: publishes committed outbox rows to JetStream and marks them sent after the ack."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import func, select

from govit.platform.v1 import outbox_service_pb2 as pb
from govit_kit import faults
from govit_kit.auth import Role
from govit_kit.bus import Bus
from govit_kit.convert import to_timestamp
from govit_kit.db import Database, is_postgres, utcnow
from govit_kit.errors import InvalidInput
from govit_kit.events import headers_for
from govit_kit.rpc import current_principal
from govit_kit.telemetry import EVENTS_PUBLISHED, OUTBOX_BACKLOG

log = logging.getLogger(__name__)

BACKLOG_EVERY_S = 1.0  # how often the relay refreshes its backlog gauge


class OutboxRelay:
    """Publishes outbox rows in order; survives the broker being down and never hangs on a publish.

    Rows are marked published only after JetStream's ack. With PostgreSQL the batch is
    locked FOR UPDATE SKIP LOCKED, so two relays never publish one row twice; if a relay
    dies between the ack and its commit, the row is published again with the same
    Nats-Msg-Id and JetStream drops the duplicate.
    """

    def __init__(self, db: Database, bus: Bus, *, batch: int, timeout_s: float, idle_s: float):
        self.db, self.bus = db, bus
        self.batch, self.timeout_s, self.idle_s = batch, timeout_s, idle_s
        self.wake = asyncio.Event()
        db.on_commit(self.wake.set)
        bus.on_reconnect(self.wake.set)

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published (raises on a failed publish).

        The batch's publishes are pipelined (sent back to back, then every ack awaited within the
        publish timeout), so a batch costs one round trip rather than one per row. Rows reach the
        stream in outbox order; only a row whose publish failed is sent again after the rows
        behind it (consumers already tolerate that: a nak'd redelivery reorders too)."""
        outbox = self.db.tables.outbox
        async with self.db.sessions() as session, session.begin():
            query = (
                select(outbox)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.seq)
                .limit(self.batch)
            )
            if is_postgres(self.db.engine):
                query = query.with_for_update(skip_locked=True)
            rows = (await session.execute(query)).all()
            acked, error = await self._publish_all(rows)
            if acked:  # one statement for the batch: the relay's cost is the publishes
                await session.execute(
                    outbox.update()
                    .where(outbox.c.seq.in_(acked))
                    .values(published_at=utcnow(), attempts=outbox.c.attempts + 1)
                )
        EVENTS_PUBLISHED.labels(self.db.service).inc(len(acked))
        if error is not None:
            raise error
        return len(acked)

    async def _publish_all(self, rows) -> tuple[list[int], Exception | None]:
        """Send every row, then wait for the acks; the seqs JetStream acked, and the first error."""
        js = self.bus.js
        if not rows:
            return [], None
        if js is None or not self.bus.connected:
            return [], ConnectionError("NATS is not connected")
        sent: list[tuple[int, str, asyncio.Future]] = []
        error: Exception | None = None
        for row in rows:
            if faults.ARMED:  # test-only (GOVIT_FAULT); off in production
                faults.crash_at("relay.before_publish", self.db.service, row.event_type)
            try:
                # The stall wait bounds a send when nats-py's window of pending acks is full.
                future = await js.publish_async(
                    row.nats_subject,
                    row.payload,
                    wait_stall=self.timeout_s,
                    headers=headers_for(row),
                )
            except Exception as exc:
                error = exc  # wait for what was sent, mark it, then report
                break
            sent.append((row.seq, row.event_type, future))
        if not sent:  # the first send failed (asyncio.wait refuses an empty set)
            return [], error
        # A rejected or lost publish must not hang the relay: acks not in by the timeout fail.
        done, pending = await asyncio.wait([f for _, _, f in sent], timeout=self.timeout_s)
        for future in pending:
            future.cancel()
        acked: list[int] = []
        for seq, event_type, future in sent:
            if future in done and future.exception() is None:
                if faults.ARMED:
                    faults.crash_at("relay.after_publish", self.db.service, event_type)
                acked.append(seq)
            elif error is None:
                error = (
                    TimeoutError(f"no ack from JetStream within {self.timeout_s}s")
                    if future.cancelled()
                    else future.exception()
                )
        return acked, error

    async def backlog(self) -> int:
        """Rows written but not yet published (a metric and a readiness hint)."""
        outbox = self.db.tables.outbox
        async with self.db.sessions() as session:
            n = await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        OUTBOX_BACKLOG.labels(self.db.service).set(n or 0)
        return n or 0

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until stopped: drain the outbox, then wait for a commit or the idle tick."""
        delay = self.idle_s
        loop = asyncio.get_running_loop()
        counted = float("-inf")
        while not stop.is_set():
            try:
                # A long backlog is drained batch by batch, each its own transaction, and the
                # stop is heeded between them: shutting down, the relay ends its batch and
                # returns rather than draining on until cancelled inside a transaction (what
                # it leaves is published at the next start).
                while await self.publish_batch() == self.batch and not stop.is_set():
                    pass
                delay = self.idle_s
            except Exception as exc:  # broker down or slow: rows wait, back off, retry
                log.warning("outbox relay: %s; retrying in %.1fs", exc or type(exc).__name__, delay)
                delay = min(max(delay * 2, 0.5), 10.0)
            # The gauge, also while the broker is down (that is when it must grow); a query, so
            # at most once a second rather than after every commit.
            if loop.time() - counted >= BACKLOG_EVERY_S:
                with contextlib.suppress(Exception):  # the database may be down too
                    await self.backlog()
                    counted = loop.time()
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=delay)
            except TimeoutError:
                pass


class OutboxServicer:
    """gRPC govit.platform.v1.OutboxService: what this service's outbox published (for audit's
    reconciliation; auditors and platform operators only)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ListPublishedEvents(self, request, context):  # noqa: N802 (gRPC method name)
        """Published events after an outbox position, oldest first."""
        current_principal().require(Role.AUDITOR, Role.PLATFORM_OPERATOR)
        size = request.page_size or 500
        if not 1 <= size <= 1000:
            raise InvalidInput("page_size", "must be between 1 and 1000")
        outbox = self.db.tables.outbox
        async with self.db.sessions() as session:
            rows = (
                await session.execute(
                    select(
                        outbox.c.seq, outbox.c.event_id, outbox.c.event_type, outbox.c.published_at
                    )
                    .where(outbox.c.seq > request.after_seq, outbox.c.published_at.is_not(None))
                    .order_by(outbox.c.seq)
                    .limit(size)
                )
            ).all()
        return pb.ListPublishedEventsResponse(
            events=[
                pb.PublishedEvent(
                    event_id=r.event_id,
                    event_type=r.event_type,
                    outbox_seq=r.seq,
                    published_at=to_timestamp(r.published_at),
                )
                for r in rows
            ],
            last_seq=rows[-1].seq if rows else request.after_seq,
        )
