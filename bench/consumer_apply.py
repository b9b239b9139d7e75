"""Consumer throughput: events in the stream applied once each through Consumers (inbox).

Figure: govit_kit.inbox.Consumers with a trivial handler (insert one row; a fetched batch is
applied in one transaction, the handler called once per event), from start until
the inbox holds every event (polled), in events/s. Reference: a bare pull consumer with the
same consumer settings and fetch batch, fetching and acking the same messages, in msg/s.
Both sides run in alternating rounds; each round publishes its events under a type of its own
(item.r0, item.r1, ...) that a new durable consumer on each side reads, so no consumer sees
another round's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import func, select

from bench.infra import (
    AGGREGATE,
    SERVICE,
    Infra,
    Result,
    Sandbox,
    alternate,
    raw_headers,
    sample_message,
)
from govit_kit.config import Settings
from govit_kit.events import Event, event_type
from govit_kit.inbox import Consumers, Subscription
from govit_kit.uow import UnitOfWork

NAME = "consumer_apply"
WARMUP = 30
FETCH_BATCH = Settings().consumer_batch  # what Consumers fetches (and applies) at a time
DEADLINE_S = 120.0
POLL_MIN_S, POLL_MAX_S = 0.005, 0.05  # polling often costs the consumers CPU and connections


def _poll_interval(remaining: int, rate: float) -> float:
    """Poll rarely while much is left, often near the end (so the figure stops on time)."""
    if rate <= 0:
        return POLL_MAX_S
    return min(POLL_MAX_S, max(POLL_MIN_S, remaining / rate / 2))


def _subject(sb: Sandbox, name: str) -> str:
    return f"{sb.space.subject_root}.{SERVICE}.{AGGREGATE}.{name}"


async def _publish(sb: Sandbox, name: str, count: int) -> None:
    js = sb.bus.js
    assert js is not None
    message = sample_message()
    payload = message.SerializeToString(deterministic=True)
    for _ in range(count):
        h = raw_headers(message, subject=message.project_id)
        await js.publish(_subject(sb, name), payload, headers=h)


async def _bare(sb: Sandbox, name: str, count: int) -> float:
    js = sb.bus.js
    assert js is not None
    durable = f"bench-raw-{name}"
    config = ConsumerConfig(  # as Consumers configures its durable consumers
        durable_name=durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=sb.settings.consumer_ack_wait_s,
        max_deliver=-1,
        max_ack_pending=1000,
        filter_subject=_subject(sb, name),
    )
    start = time.perf_counter()
    psub = await js.pull_subscribe(
        _subject(sb, name), durable=durable, stream=sb.space.stream, config=config
    )
    got = 0
    while got < count:
        if time.perf_counter() - start > DEADLINE_S:
            raise RuntimeError(f"bare consumer got {got} of {count}")
        try:
            msgs = await psub.fetch(batch=FETCH_BATCH, timeout=1)
        except (NatsTimeout, TimeoutError):
            continue
        for msg in msgs:
            await msg.ack()
        got += len(msgs)
    elapsed = time.perf_counter() - start
    await psub.unsubscribe()
    return elapsed


async def _consumers(sb: Sandbox, name: str, count: int) -> float:
    items = sb.items

    async def insert_row(uow: UnitOfWork, event: Event) -> None:
        await uow.session.execute(items.insert().values(ref=event.id, n=0))

    sub = Subscription(f"item-{name}", event_type(SERVICE, AGGREGATE, name), insert_row)
    consumers = Consumers(sb.db, sb.bus, sb.settings, [sub])
    inbox = sb.db.tables.inbox
    count_inbox = select(func.count()).select_from(inbox).where(inbox.c.consumer == sub.name)
    stop = asyncio.Event()
    start = time.perf_counter()
    task = asyncio.create_task(consumers.run(stop))
    try:
        while True:
            async with sb.db.engine.connect() as conn:
                applied = await conn.scalar(count_inbox)
            if applied >= count:
                break
            if task.done():
                raise RuntimeError(f"consumers stopped after {applied} of {count}")
            elapsed = time.perf_counter() - start
            if elapsed > DEADLINE_S:
                raise RuntimeError(f"consumers applied {applied} of {count}")
            await asyncio.sleep(_poll_interval(count - applied, applied / elapsed))
        elapsed = time.perf_counter() - start
    finally:
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    return elapsed


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    async with infra.sandbox(NAME) as sb:
        rounds = itertools.count()
        pending: list[str] = []

        async def events_for(count: int) -> str:
            """The first side of a round publishes the round's events, the second reuses them."""
            if pending:
                return pending.pop()
            name = f"r{next(rounds)}"
            await _publish(sb, name, count)
            pending.append(name)
            return name

        async def reference(count: int) -> float:
            return await _bare(sb, await events_for(count), count)

        async def apply(count: int) -> float:
            return await _consumers(sb, await events_for(count), count)

        warm = time.perf_counter()
        await reference(WARMUP)
        await apply(WARMUP)
        timed = await alternate(
            n, budget_s, (time.perf_counter() - warm) / WARMUP, reference, apply
        )
        async with sb.db.engine.connect() as conn:
            rows = await conn.scalar(select(func.count()).select_from(sb.items))
        if rows != timed.n + WARMUP:
            raise RuntimeError(f"handler inserted {rows} rows for {timed.n + WARMUP} events")
    return Result(
        NAME,
        timed.n / timed.subject_s,
        "events/s",
        "bare pull consumer fetch+ack",
        timed.n / timed.reference_s,
        "msg/s",
        timed.n,
    )
