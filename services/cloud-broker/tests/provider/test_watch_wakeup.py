"""The work-order stream's wakeup is not lost: an order committed (and handed over) while the
stream is reading the queue is sent at once, not on the next poll (the poll here is an hour);
an order both handed over and found by a read is sent once; another platform's order is never
handed to the stream (L16); the stream wakes when its token expires, and ends."""

import asyncio
import time
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import grpc
import pytest

from cloud_broker.provider.flows import order_message, queue_key
from cloud_broker.provider.models import WorkOrder
from cloud_broker.provider.signal import OrderFeed
from cloud_broker.rpc import ProviderServicer
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit_kit.auth import Principal, Role

HOUR = 3600.0


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def order(order_id: str, platform: str = "pa") -> WorkOrder:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    return WorkOrder(
        id=order_id,
        request_id="r-1",
        platform_id=platform,
        kind="provision",
        status="queued",
        spec={"service_mode": "general", "items": [{"sku": "ecs.vcpu", "quantity": 2}]},
        claims=0,
        progress_percent=0,
        created_at=now,
    )


def hand_over(feed: OrderFeed, o: WorkOrder) -> None:
    """What the allocating transaction does once it commits."""
    feed.publish(o.platform_id, queue_key(o), order_message(o))


async def test_a_watcher_keeps_what_was_handed_over_before_it_waits():
    feed = OrderFeed()
    with feed.watch("pa") as watcher:
        hand_over(feed, order("o-1"))  # came while the stream was still reading the queue
        hand_over(feed, order("o-2", platform="pb"))  # another platform's: never handed here
        assert not await asyncio.wait_for(watcher.wait(HOUR), 1)
        assert [key for key, _ in watcher.take()] == ["o-1:0"]
        assert await watcher.wait(0.01)  # nothing more: the poll's timeout
    hand_over(feed, order("o-3"))  # the stream ended: nothing holds on to it
    assert watcher.take() == []


class Queue:
    """The queued orders as successive reads see them: the first read starts before order o-1
    commits, and the commit's hand-over lands while that read is still running."""

    def __init__(self, feed: OrderFeed) -> None:
        self.feed, self.reads = feed, 0

    async def scalars(self, _query):
        self.reads += 1
        if self.reads == 1:
            await asyncio.sleep(0)
            hand_over(self.feed, order("o-1"))  # allocate committed o-1 after this snapshot
            hand_over(self.feed, order("o-9", platform="pb"))
            return SimpleNamespace(all=lambda: [])
        return SimpleNamespace(all=lambda: [order("o-1")])


class Aborted(Exception):
    """What grpc's context.abort raises, here with the status it was given."""


def stream_of(feed: OrderFeed, queue: Queue, poll_s: float, expires_at: float | None = None):
    @asynccontextmanager
    async def sessions():
        yield queue

    who = Principal(
        "robot-pa",
        "org-pa",
        frozenset({Role.CLOUD_PROVIDER}),
        provider_id="pa",
        expires_at=expires_at,
    )
    rt = SimpleNamespace(
        db=SimpleNamespace(sessions=sessions),
        verifier=SimpleNamespace(verify=lambda _header: who),
        settings=SimpleNamespace(watch_poll_s=poll_s),
        state=SimpleNamespace(order_feed=feed),
    )

    async def abort(code, details):
        raise Aborted(code, details)

    context = SimpleNamespace(
        invocation_metadata=lambda: [("authorization", "Bearer x")],
        done=lambda: False,
        abort=abort,
    )
    return ProviderServicer(rt).WatchWorkOrders(ppb.WatchWorkOrdersRequest(), context)


async def test_an_order_committed_during_a_read_is_sent_without_waiting_for_the_poll():
    feed = OrderFeed()
    queue = Queue(feed)
    stream = stream_of(feed, queue, HOUR)
    first = asyncio.create_task(anext(stream))
    for _ in range(50):
        await settle()
        if first.done():
            break
    try:
        assert first.done(), f"o-1 not sent after {queue.reads} reads: the wakeup was lost"
        assert first.result().work_order.order_id == "o-1"
        assert queue.reads == 1  # handed over, not read again
    finally:
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await stream.aclose()


async def test_an_order_handed_over_and_read_again_is_sent_once():
    feed = OrderFeed()
    queue = Queue(feed)
    stream = stream_of(feed, queue, 0.01)  # reads the queue (which holds o-1) again and again
    try:
        first = await asyncio.wait_for(anext(stream), 5)
        assert first.work_order.order_id == "o-1"
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(stream), 0.3)
        assert queue.reads > 3
    finally:
        await stream.aclose()


async def test_the_stream_wakes_at_its_tokens_expiry_and_ends():
    """Nothing is queued and the poll is an hour: only the token's expiry wakes the stream,
    which then ends UNAUTHENTICATED; an order handed over after it is never sent."""
    feed = OrderFeed()
    queue = Queue(feed)
    stream = stream_of(feed, queue, HOUR, expires_at=time.time() + 2)
    try:
        first = await asyncio.wait_for(anext(stream), 5)  # o-1, committed during the first read
        assert first.work_order.order_id == "o-1"
        with pytest.raises(Aborted) as ended:
            await asyncio.wait_for(anext(stream), 30)  # an hour without the wakeup
        assert ended.value.args == (grpc.StatusCode.UNAUTHENTICATED, "token expired")
        hand_over(feed, order("o-2"))  # the stream is gone: nothing holds on to it
    finally:
        await stream.aclose()
