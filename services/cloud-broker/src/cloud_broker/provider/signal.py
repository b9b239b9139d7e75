"""Wakes the work-order streams of this process when orders are opened or requeued."""

import asyncio


class Signal:
    """Many waiters, woken together; a waiter that took a mark before it looked at the orders
    sees every notify after that mark, even one that came while it was still looking."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    def set(self) -> None:
        """Alias of notify (views call it after a commit)."""
        self.notify()

    def mark(self) -> asyncio.Event:
        """Take before reading the orders; pass to wait() afterwards (no wakeup is lost between)."""
        return self._event

    async def wait(self, timeout: float, since: asyncio.Event | None = None) -> None:
        """Until the next notify after `since` (a mark; now when None), or timeout (other
        instances' orders are found by polling). Returns at once if one came after the mark."""
        event = since if since is not None else self._event
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            pass
