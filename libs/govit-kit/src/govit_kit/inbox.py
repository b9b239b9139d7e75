"""Idempotent event consumers: durable JetStream pull consumers, an inbox, and a dead-letter table."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry.trace import SpanKind
from sqlalchemy import func, select

from govit_kit import faults
from govit_kit.bus import Bus
from govit_kit.config import Settings
from govit_kit.db import Database, utcnow
from govit_kit.errors import Conflict, NotFound
from govit_kit.events import MAX_ID_LEN, MAX_TYPE_LEN, Event
from govit_kit.telemetry import (
    CONSUMER_LAG,
    DEAD_LETTERS,
    EVENTS_APPLIED,
    context_from,
    tracer,
)
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Event], Awaitable[None]]


class NotYet(LookupError):
    """A handler's event needs a fact another event brings (a conclusion before its submission):
    retried like any failure, but for `consumer_await_max_deliver` tries before the dead letters,
    since consumers catching up after an outage deliver such pairs in any order."""


BatchHandler = Callable[[UnitOfWork, list[Event]], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """A handler for one event type (or a wildcard such as govit.>), with its durable consumer name.

    `handler` applies one event. A subscription whose work is cheaper in bulk may also give
    `batch_handler`, which applies a fetched batch at once in the same order (audit appends its
    leaves so); the consumer then uses it instead of calling `handler` once per event."""

    name: str
    event_type: str
    handler: Handler
    batch_handler: BatchHandler | None = None


class Consumers:
    """Runs a service's subscriptions: apply in one transaction with the inbox row, ack after commit.

    A fetched batch is applied in one transaction (one commit for many events is what makes a
    busy consumer fast); if that fails, its events are applied one at a time, so one bad event
    cannot hold back the others. A redelivered event finds its id in the inbox and changes
    nothing. An event that fails `max_deliver` times goes to the dead-letter table and is acked,
    so the events after it keep flowing.
    """

    def __init__(self, db: Database, bus: Bus, settings: Settings, subs: list[Subscription]):
        self.db, self.bus, self.settings, self.subs = db, bus, settings, subs

    def durable(self, sub: Subscription) -> str:
        """The durable consumer name: one per service and subscription."""
        return f"{self.settings.service}-{sub.name}".replace(".", "-")

    def filter_subject(self, sub: Subscription) -> str:
        """The NATS subject an event type arrives on (the subject root may differ in tests)."""
        assert sub.event_type.startswith("govit.")
        return self.settings.subject_root + sub.event_type[len("govit") :]

    async def run(self, stop: asyncio.Event) -> None:
        """Consume every subscription until stopped."""
        await self.refresh_dead_letter_gauge()
        await asyncio.gather(
            *(self._consume(sub, stop) for sub in self.subs), return_exceptions=True
        )

    async def _consume(self, sub: Subscription, stop: asyncio.Event) -> None:
        assert self.bus.js is not None
        config = ConsumerConfig(
            durable_name=self.durable(sub),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.settings.consumer_ack_wait_s,
            max_deliver=-1,  # we count tries ourselves and dead-letter, so nothing is dropped
            max_ack_pending=1000,
            filter_subject=self.filter_subject(sub),
        )
        psub = None
        delay, last_lag = 0.2, 0.0
        while not stop.is_set():
            try:
                if psub is None:
                    psub = await self.bus.js.pull_subscribe(
                        self.filter_subject(sub),
                        durable=self.durable(sub),
                        stream=self.settings.stream,
                        config=config,
                    )
                try:
                    msgs = await psub.fetch(batch=self.settings.consumer_batch, timeout=1)
                except (NatsTimeout, TimeoutError):
                    msgs = []
                if msgs:
                    await self.handle_batch(sub, msgs)
                loop_time = asyncio.get_running_loop().time()
                if loop_time - last_lag > 5:
                    info = await psub.consumer_info()
                    CONSUMER_LAG.labels(self.settings.service, sub.name).set(
                        info.num_pending + info.num_ack_pending
                    )
                    last_lag = loop_time
                delay = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker down or restarting: back off and retry
                log.warning("consumer %s: %r; retrying in %.1fs", sub.name, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def handle_batch(self, sub: Subscription, msgs: list) -> None:
        """Apply fetched messages in order: each run of readable ones in one transaction."""
        run: list[tuple[object, Event]] = []
        for msg in msgs:
            headers = dict(msg.headers or {})
            try:
                run.append((msg, Event.from_nats(msg.subject, headers, msg.data)))
            except ValueError as exc:  # cannot even be read: no retry will help
                await self.handle_run(sub, run)  # the run before it first: it may reuse their ids
                run = []
                await self.dead_letter(sub, msg, headers, headers.get("ce-id", ""), str(exc))
                await msg.ack()
        await self.handle_run(sub, run)

    async def handle_run(self, sub: Subscription, run: list[tuple[object, Event]]) -> None:
        """Apply readable messages in one transaction and ack them; one at a time if that fails."""
        if len(run) > 1:
            try:
                applied = await self.apply(sub, [event for _, event in run])
            except Exception as exc:
                log.info("batch of %d failed (%r); applying one at a time", len(run), exc)
            else:
                await self.acked(sub, run, applied)
                return
        for msg, event in run:
            await self.handle(sub, msg, event)

    async def handle(self, sub: Subscription, msg, event: Event) -> None:
        """Apply one message exactly once, or dead-letter it after the last try."""
        try:
            applied = await self.apply(sub, [event])
        except Exception as exc:
            tries = msg.metadata.num_delivered
            limit = (
                self.settings.consumer_await_max_deliver
                if isinstance(exc, NotYet)
                else self.settings.consumer_max_deliver
            )
            if tries >= limit:
                log.error("dead-lettering %s after %d tries: %r", event.id, tries, exc)
                await self.dead_letter(sub, msg, dict(msg.headers or {}), event.id, repr(exc))
                await msg.ack()
            else:
                log.warning("event %s failed (try %d): %r", event.id, tries, exc)
                await msg.nak(delay=min(0.2 * 2**tries, 30))
            return
        await self.acked(sub, [(msg, event)], applied)

    async def acked(self, sub: Subscription, handled: list, applied: list[Event]) -> None:
        """Ack messages whose events are committed: a lost ack only causes a harmless redelivery."""
        if faults.ARMED:  # test-only (GOVIT_FAULT); off in production
            for event in applied:
                faults.crash_at("consumer.after_commit", self.settings.service, event.type)
        for msg, _ in handled:
            await msg.ack()

    async def apply(self, sub: Subscription, events: list[Event]) -> list[Event]:
        """Run the handler on the events not yet applied and record their ids, in one
        transaction; returns the events it applied (none if all were applied before)."""
        inbox = self.db.tables.inbox
        async with self.db.unit_of_work() as uow:
            seen = set(
                await uow.session.scalars(
                    select(inbox.c.event_id).where(
                        inbox.c.consumer == sub.name,
                        inbox.c.event_id.in_({event.id for event in events}),
                    )
                )
            )
            fresh: list[Event] = []
            for event in events:  # a batch may hold one event twice (a redelivery)
                if event.id not in seen:
                    seen.add(event.id)
                    fresh.append(event)
            if not fresh:
                return []
            if sub.batch_handler is not None and len(fresh) > 1:
                # Many traces in one call: the span is the batch's (each entry keeps its trace id).
                with tracer.start_as_current_span(
                    f"consume {len(fresh)} events", kind=SpanKind.CONSUMER
                ):
                    await sub.batch_handler(uow, fresh)
            else:
                for event in fresh:  # each in the trace of the request that caused it
                    with tracer.start_as_current_span(
                        f"consume {event.type}",
                        context=context_from({"traceparent": event.traceparent or ""}),
                        kind=SpanKind.CONSUMER,
                    ) as span:
                        span.set_attribute("govit.event_id", event.id)
                        await sub.handler(uow, event)
            now = utcnow()
            await uow.session.execute(
                inbox.insert(),
                [
                    dict(
                        event_id=event.id,
                        consumer=sub.name,
                        event_type=event.type,
                        applied_at=now,
                        outcome="applied",
                    )
                    for event in fresh
                ],
            )
        EVENTS_APPLIED.labels(self.settings.service, sub.name).inc(len(fresh))
        return fresh

    async def dead_letter(self, sub, msg, headers: dict, event_id: str, error: str) -> None:
        """Keep the failed event with its error; mark it handled so it is not retried forever.

        Whatever the message holds, this write must succeed, else it fails on every redelivery
        and wedges the consumer on the message: an id too long to be ours is kept only in the
        stored headers, and an id the inbox already holds gets no second inbox row."""
        tables = self.db.tables
        if len(event_id) > MAX_ID_LEN:
            event_id = ""
        event_type = headers.get("ce-type", "")[:MAX_TYPE_LEN]
        async with self.db.unit_of_work() as uow:
            await uow.session.execute(
                tables.dead_letter.insert().values(
                    event_id=event_id,
                    consumer=sub.name,
                    nats_subject=msg.subject[:255],
                    event_type=event_type,
                    headers=headers,
                    payload=msg.data,
                    error=error[:4000],
                    attempts=msg.metadata.num_delivered,
                    created_at=utcnow(),
                )
            )
            inbox = tables.inbox
            # An unreadable message may reuse an id already in the inbox (a forgery, or this
            # dead letter redelivered after a lost ack): the inbox keeps its first row.
            if event_id and not await uow.session.scalar(
                select(inbox.c.event_id).where(
                    inbox.c.event_id == event_id, inbox.c.consumer == sub.name
                )
            ):
                await uow.session.execute(
                    inbox.insert().values(
                        event_id=event_id,
                        consumer=sub.name,
                        event_type=event_type,
                        applied_at=utcnow(),
                        outcome="dead_letter",
                    )
                )
        await self.refresh_dead_letter_gauge()

    async def replay(self, dead_letter_id: int) -> str:
        """Apply a dead-lettered event again (after the fix that it waited for) and drop it from
        the dead letters, in one transaction; if it fails again nothing changes. Returns the
        event id."""
        tables = self.db.tables
        dl = tables.dead_letter
        async with self.db.unit_of_work() as uow:
            row = (
                (await uow.session.execute(select(dl).where(dl.c.id == dead_letter_id)))
                .mappings()
                .first()
            )
            if row is None:
                raise NotFound(f"dead letter {dead_letter_id} not found")
            sub = next((s for s in self.subs if s.name == row["consumer"]), None)
            if sub is None:
                raise Conflict(f"no consumer {row['consumer']!r} in this service any more")
            try:
                event = Event.from_nats(row["nats_subject"], dict(row["headers"]), row["payload"])
            except ValueError as exc:
                raise Conflict(f"the event cannot be read: {exc}") from exc
            await uow.session.execute(
                tables.inbox.delete().where(
                    tables.inbox.c.event_id == event.id, tables.inbox.c.consumer == sub.name
                )
            )
            try:
                await sub.handler(uow, event)
            except Exception as exc:  # the unit of work rolls back: nothing changes
                raise Conflict(f"the event failed again: {exc!r}") from exc
            await uow.session.execute(
                tables.inbox.insert().values(
                    event_id=event.id,
                    consumer=sub.name,
                    event_type=event.type,
                    applied_at=utcnow(),
                    outcome="replayed",
                )
            )
            await uow.session.execute(dl.delete().where(dl.c.id == dead_letter_id))
        await self.refresh_dead_letter_gauge()
        return event.id

    async def refresh_dead_letter_gauge(self) -> None:
        """Set the dead-letter metric from the table (it survives restarts; a counter would not)."""
        async with self.db.sessions() as session:
            n = await session.scalar(select(func.count()).select_from(self.db.tables.dead_letter))
        DEAD_LETTERS.labels(self.settings.service).set(n or 0)
