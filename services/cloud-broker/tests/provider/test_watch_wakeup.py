"""The work-order stream's wakeup is not lost: an order committed (and notified) while the stream
is reading the queue is sent at once, not on the next poll (the poll here is an hour)."""

import asyncio
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

from cloud_broker.provider.models import WorkOrder
from cloud_broker.provider.signal import Signal
from cloud_broker.rpc import ProviderServicer
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit_kit.auth import Principal, Role

HOUR = 3600.0


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_notify_after_the_mark_wakes_a_later_wait():
    signal = Signal()
    mark = signal.mark()
    signal.notify()  # came while the waiter was still reading the orders
    late = asyncio.create_task(signal.wait(HOUR, since=mark))
    await settle()
    assert late.done()
    fresh = asyncio.create_task(signal.wait(HOUR))  # no mark: only a notify from now on
    await settle()
    assert not fresh.done()
    signal.notify()
    await settle()
    assert fresh.done()


def order(order_id: str) -> WorkOrder:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    return WorkOrder(
        id=order_id,
        request_id="r-1",
        platform_id="pa",
        kind="provision",
        status="queued",
        spec={"service_mode": "general", "items": [{"sku": "ecs.vcpu", "quantity": 2}]},
        claims=0,
        progress_percent=0,
        created_at=now,
    )


class Queue:
    """The queued orders as successive reads see them: the first read starts before order o-1
    commits, and the commit's notify lands while that read is still running."""

    def __init__(self, signal: Signal) -> None:
        self.signal, self.reads = signal, 0

    async def scalars(self, _query):
        self.reads += 1
        if self.reads == 1:
            await asyncio.sleep(0)
            self.signal.notify()  # allocate committed o-1 after this read's snapshot
            return SimpleNamespace(all=lambda: [])
        return SimpleNamespace(all=lambda: [order("o-1")])


async def test_an_order_committed_during_a_read_is_sent_without_waiting_for_the_poll():
    signal = Signal()
    queue = Queue(signal)

    @asynccontextmanager
    async def sessions():
        yield queue

    who = Principal("robot-pa", "org-pa", frozenset({Role.CLOUD_PROVIDER}), provider_id="pa")
    rt = SimpleNamespace(
        db=SimpleNamespace(sessions=sessions),
        verifier=SimpleNamespace(verify=lambda _header: who),
        settings=SimpleNamespace(watch_poll_s=HOUR),
        state=SimpleNamespace(orders_changed=signal),
    )
    context = SimpleNamespace(
        invocation_metadata=lambda: [("authorization", "Bearer x")], done=lambda: False
    )
    stream = ProviderServicer(rt).WatchWorkOrders(ppb.WatchWorkOrdersRequest(), context)
    first = asyncio.create_task(anext(stream))
    for _ in range(50):
        await settle()
        if first.done():
            break
    try:
        assert first.done(), f"o-1 not sent after {queue.reads} reads: the wakeup was lost"
        assert first.result().work_order.order_id == "o-1"
    finally:
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        await stream.aclose()
