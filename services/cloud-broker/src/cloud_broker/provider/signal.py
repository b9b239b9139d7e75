"""Wakes the work-order streams of this process when orders are opened or requeued."""

import asyncio


class Signal:
    """Many waiters, woken together; each wait sees every notify after it started."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake every current waiter."""
        self._event.set()
        self._event = asyncio.Event()

    def set(self) -> None:
        """Alias of notify (views call it after a commit)."""
        self.notify()

    async def wait(self, timeout: float) -> None:
        """Until the next notify, or timeout (other instances' orders are found by polling)."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            pass
