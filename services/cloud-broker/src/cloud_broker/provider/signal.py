"""Feeds the work-order streams of this process: each order this process queues (opens or requeues)
is handed to the streams of its platform as its transaction commits, without a read of the queue,
and so is each order it cancels (F5), with its new status. Orders another instance queues are
found by each stream's periodic read; one it cancels is no longer read as queued."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from govit.cloud_broker.v1 import types_pb2


class Watcher:
    """One stream's inbox: orders of its platform handed over since it was taken. Taken before
    the stream's first read, it loses nothing that commits while that read runs."""

    def __init__(self, platform_id: str) -> None:
        self.platform_id = platform_id
        self._pending: deque[tuple[str, types_pb2.WorkOrder]] = deque()
        self._wake = asyncio.Event()

    def _put(self, key: str, order: types_pb2.WorkOrder) -> None:
        self._pending.append((key, order))
        self._wake.set()

    def _cancel(self, key: str, order: types_pb2.WorkOrder) -> None:
        """The order is off (cancelled, or cancelling while its provider cleans up): a queued
        copy not yet sent is dropped, and the stream tells the provider its new status."""
        self._pending = deque(
            (k, o) for k, o in self._pending if o.order_id != order.order_id or k == key
        )
        self._put(key, order)

    def take(self) -> list[tuple[str, types_pb2.WorkOrder]]:
        """The orders handed over since the last take, oldest first, as (key, order)."""
        out = list(self._pending)
        self._pending.clear()
        return out

    async def wait(self, timeout: float) -> bool:
        """Until an order is handed over (False; at once if one is waiting) or timeout (True:
        the read for other instances' orders is due)."""
        if self._pending:
            return False
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            return True
        return False


class OrderFeed:
    """The streams of this process and what they are fed."""

    def __init__(self) -> None:
        self._watchers: set[Watcher] = set()

    @contextmanager
    def watch(self, platform_id: str) -> Iterator[Watcher]:
        """A watcher for one stream of the platform, for as long as the stream runs."""
        watcher = Watcher(platform_id)
        self._watchers.add(watcher)
        try:
            yield watcher
        finally:
            self._watchers.discard(watcher)

    def publish(self, platform_id: str, key: str, order: types_pb2.WorkOrder) -> None:
        """A queued order has committed: hand it to the streams of its platform only (L16)."""
        for watcher in self._watchers:
            if watcher.platform_id == platform_id:
                watcher._put(key, order)

    def cancel(self, platform_id: str, key: str, order: types_pb2.WorkOrder) -> None:
        """A cancellation has committed (F5): the streams of the order's platform only (L16)
        drop a queued copy they have not sent yet and send the order with its new status."""
        for watcher in self._watchers:
            if watcher.platform_id == platform_id:
                watcher._cancel(key, order)
