"""The NATS JetStream connection and the platform's one stream."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from govit_kit.config import Settings

log = logging.getLogger(__name__)


class Bus:
    """One NATS connection per process, reconnecting forever, with the JetStream context."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.nc: Client | None = None
        self.js: JetStreamContext | None = None
        self._on_reconnect: list[Callable[[], None]] = []

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Call back when the connection comes back (the relay drains its backlog at once)."""
        self._on_reconnect.append(callback)

    async def _reconnected(self) -> None:
        log.info("NATS reconnected")
        for callback in self._on_reconnect:
            callback()

    @property
    def connected(self) -> bool:
        """Whether the connection is up right now (readiness)."""
        return self.nc is not None and self.nc.is_connected

    async def connect(self, stop: asyncio.Event | None = None) -> None:
        """Connect, retrying with back-off while the broker is not up yet."""
        delay = 0.2
        while True:
            try:
                self.nc = await nats.connect(
                    servers=[self.settings.nats_url],
                    name=f"govit-{self.settings.service}",
                    allow_reconnect=True,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    error_cb=self._on_error,
                    reconnected_cb=self._reconnected,
                )
                break
            except Exception as exc:  # the broker may still be starting
                log.warning("NATS not reachable at %s (%s); retrying", self.settings.nats_url, exc)
                if stop is not None and stop.is_set():
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.js = self.nc.jetstream(timeout=self.settings.publish_timeout_s)
        await self.ensure_stream()

    async def _on_error(self, exc: Exception) -> None:
        log.warning("NATS: %s", exc)

    async def ensure_stream(self) -> None:
        """Create the platform stream (<root>.>) if it does not exist yet; idempotent."""
        assert self.js is not None
        name = self.settings.stream
        try:
            await self.js.stream_info(name)
            return
        except NotFoundError:
            pass
        config = StreamConfig(
            name=name,
            subjects=[f"{self.settings.subject_root}.>"],
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            num_replicas=self.settings.stream_replicas,
            duplicate_window=120.0,  # seconds within which a Nats-Msg-Id is published once
        )
        try:
            await self.js.add_stream(config)
        except BadRequestError:
            await self.js.stream_info(name)  # another service created it first

    async def close(self) -> None:
        """Flush what is buffered, then close. Not drain: consumers ack after commit, so an
        unacked message is simply redelivered, and draining a pull subscription can stall."""
        if self.nc is not None and not self.nc.is_closed:
            try:
                await asyncio.wait_for(self.nc.flush(), timeout=2)
            except Exception:  # closing anyway
                pass
            await self.nc.close()
