"""Outbox relay throughput: committed outbox rows published to JetStream and marked sent.

Figure: OutboxRelay.publish_batch, called until the outbox is drained, in events/s.
Reference: the same number of messages (same headers, same payload) published with
js.publish_async, then every ack awaited (the relay pipelines its batch the same way), in msg/s. Rows are committed (UnitOfWork.emit,
100 per transaction) before the relay's clock starts; the sides alternate in rounds.
"""

from __future__ import annotations

import asyncio
import time

from bench.infra import (
    AGGREGATE,
    EVENT,
    Infra,
    Result,
    Sandbox,
    alternate,
    raw_headers,
    sample_message,
)
from govit_kit.outbox import OutboxRelay

NAME = "outbox_relay"
WARMUP = 50
EMIT_PER_UOW = 100  # setup only: rows are committed before the clock starts


async def _emit(sb: Sandbox, count: int) -> None:
    message = sample_message()
    done = 0
    while done < count:
        async with sb.db.unit_of_work() as uow:
            for _ in range(min(EMIT_PER_UOW, count - done)):
                await uow.emit(
                    AGGREGATE, EVENT, message, subject=message.project_id, org_id="org-bench"
                )
                done += 1


async def _relay(sb: Sandbox, relay: OutboxRelay, count: int) -> float:
    if count == 0:
        return 0.0
    await _emit(sb, count)
    start = time.perf_counter()
    published = 0
    while batch := await relay.publish_batch():
        published += batch
    elapsed = time.perf_counter() - start
    if published != count:
        raise RuntimeError(f"relay published {published} of {count} rows")
    return elapsed


async def _raw(sb: Sandbox, count: int) -> float:
    js = sb.bus.js
    assert js is not None
    message = sample_message()
    payload = message.SerializeToString(deterministic=True)
    subject = sb.nats_subject
    headers = [raw_headers(message, subject=message.project_id) for _ in range(count)]
    start = time.perf_counter()
    futures = [await js.publish_async(subject, payload, headers=h) for h in headers]
    await asyncio.gather(*futures)
    return time.perf_counter() - start


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    async with infra.sandbox(NAME) as sb:
        s = sb.settings
        relay = OutboxRelay(
            sb.db, sb.bus, batch=s.relay_batch, timeout_s=s.publish_timeout_s, idle_s=s.relay_idle_s
        )
        warm = time.perf_counter()
        await _raw(sb, WARMUP)
        await _relay(sb, relay, WARMUP)
        timed = await alternate(
            n,
            budget_s,
            (time.perf_counter() - warm) / WARMUP,
            lambda count: _raw(sb, count),
            lambda count: _relay(sb, relay, count),
        )
        if await relay.backlog():
            raise RuntimeError("outbox not drained")
        info = await sb.bus.js.stream_info(sb.space.stream)
        expected = 2 * (timed.n + WARMUP)
        if info.state.messages != expected:
            raise RuntimeError(f"stream holds {info.state.messages} messages, not {expected}")
    return Result(
        NAME,
        timed.n / timed.subject_s,
        "events/s",
        "raw JetStream publish_async",
        timed.n / timed.reference_s,
        "msg/s",
        timed.n,
    )
