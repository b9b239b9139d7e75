"""A service process: REST (uvicorn), gRPC, outbox relay and consumers, with graceful shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import grpc
import uvicorn
from fastapi import APIRouter
from grpc_health.v1 import health_pb2
from sqlalchemy import MetaData, text

from govit_kit import faults
from govit_kit.auth import TokenVerifier
from govit_kit.bus import Bus
from govit_kit.config import Settings
from govit_kit.db import Database
from govit_kit.http import create_app
from govit_kit.inbox import Consumers, Subscription
from govit_kit.outbox import OutboxRelay, OutboxServicer
from govit_kit.peers import PeerSettingInvalid, PeerTarget, peer_targets
from govit_kit.policy import (
    SHANGHAI,
    PolicyProfile,
    ProfileInvalid,
    UnknownProfile,
    calendar_for,
    load_profile,
)
from govit_kit.rpc import start_server
from govit_kit.telemetry import CALENDAR_KNOWN_UNTIL, setup_logging, setup_tracing

log = logging.getLogger(__name__)


@dataclass
class ServiceSpec:
    """What makes a service: its name, tables, REST routers, gRPC servicers and subscriptions."""

    name: str  # intake | review | cloud_broker | finance | audit
    package: str  # the Python package holding migrations/
    title: str
    description: str
    metadata: MetaData
    routers: list[APIRouter]
    servicers: Callable[[Runtime], list[tuple[Callable, Any, str]]] = lambda rt: []
    subscriptions: Callable[[Runtime], list[Subscription]] = lambda rt: []
    # Background work beside requests and events (e.g. audit's periodic tree-head signing):
    # each is started as `task(rt, stop)` and must return soon after `stop` is set.
    tasks: list[Callable[[Runtime, asyncio.Event], Awaitable[None]]] = field(default_factory=list)
    # Service-specific state built once at start (e.g. a signing key), kept on rt.state.
    setup: Callable[[Runtime], None] = lambda rt: None
    settings_cls: type[Settings] = Settings


class Runtime:
    """Everything a request, RPC or event handler of one service needs."""

    def __init__(self, spec: ServiceSpec, settings: Settings) -> None:
        self.spec, self.settings = spec, settings
        try:
            self.profile: PolicyProfile = load_profile(settings.policy_profile)
        except (UnknownProfile, ProfileInvalid) as exc:
            # An operator's mistake, said in one line rather than a traceback.
            raise SystemExit(f"govit-{spec.name}: GOVIT_POLICY_PROFILE: {exc}") from None
        self.calendar = calendar_for(self.profile)
        try:
            # Read and checked now: a CA file that is not there stops the start, not a call.
            self.peers: dict[str, PeerTarget] = peer_targets(settings)
        except PeerSettingInvalid as exc:
            raise SystemExit(f"govit-{spec.name}: {exc}") from None
        # Read at each scrape: the operators' signal to enter next year's calendar in time.
        CALENDAR_KNOWN_UNTIL.labels(settings.service).set_function(self.calendar_known_until)
        self.db = Database(
            settings.effective_database_url,
            spec.metadata,
            service=spec.name,
            subject_root=settings.subject_root,
        )
        self.bus = Bus(settings)
        self.verifier = TokenVerifier(settings)
        self.relay = OutboxRelay(
            self.db,
            self.bus,
            batch=settings.relay_batch,
            timeout_s=settings.publish_timeout_s,
            idle_s=settings.relay_idle_s,
        )
        self.consumers = Consumers(self.db, self.bus, settings, spec.subscriptions(self))
        self.app = create_app(
            self, title=spec.title, description=spec.description, routers=spec.routers
        )
        self._channels: dict[str, grpc.aio.Channel] = {}
        self.state = SimpleNamespace()
        spec.setup(self)

    def calendar_known_until(self) -> float:
        """Unix time of the first day counted on the provisional calendar (Asia/Shanghai)."""
        day = self.calendar.known_until(dt.datetime.now(dt.UTC))
        return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI).timestamp()

    async def readiness(self) -> dict[str, str]:
        """What readiness checks: the database answers and the NATS connection is up."""
        checks = {"database": "ok", "nats": "ok" if self.bus.connected else "down"}
        try:
            async with self.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:  # reported, not raised: readiness is a status
            checks["database"] = f"down: {type(exc).__name__}"
        return checks

    async def watch_health(self, health: Any, names: list[str], stop: asyncio.Event) -> None:
        """Keep the gRPC health service in step with readiness (probes use either)."""
        while not stop.is_set():
            ready = all(v == "ok" for v in (await self.readiness()).values())
            status = (
                health_pb2.HealthCheckResponse.SERVING
                if ready
                else (health_pb2.HealthCheckResponse.NOT_SERVING)
            )
            for name in ["", *names]:
                await health.set(name, status)
            try:
                await asyncio.wait_for(stop.wait(), timeout=2)
            except TimeoutError:
                pass

    def channel(self, peer: str) -> grpc.aio.Channel:
        """A cached gRPC channel to a peer (intake, review, cloud_broker, finance, audit, or a
        service's own, such as intake's city_intake): plaintext, or TLS as its settings say."""
        if peer not in self._channels:
            self._channels[peer] = self.peers[peer].channel()
        return self._channels[peer]

    async def close_channels(self) -> None:
        """Close every peer channel."""
        for ch in self._channels.values():
            await ch.close()


def outbox_servicer(rt: Runtime) -> tuple[Callable, Any, str]:
    """The platform's OutboxService, served by every service."""
    from govit.platform.v1 import outbox_service_pb2, outbox_service_pb2_grpc

    return (
        outbox_service_pb2_grpc.add_OutboxServiceServicer_to_server,
        OutboxServicer(rt.db),
        outbox_service_pb2.DESCRIPTOR.services_by_name["OutboxService"].full_name,
    )


class _Uvicorn(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns shutdown order."""

    def install_signal_handlers(self) -> None:  # older uvicorn
        pass

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:  # newer uvicorn
        yield


@dataclass
class Running:
    """A started service: its bound ports and the means to stop it (used by tests too)."""

    runtime: Runtime
    http_port: int
    grpc_port: int
    stop: asyncio.Event
    tasks: list[asyncio.Task] = field(default_factory=list)
    grpc_server: Any = None
    http_server: Any = None
    # How long shutdown waits for the background tasks to end once told to stop, and then for
    # those it cancels to unwind (roll back their transaction: a round trip); within the 20 s
    # the platform's launcher allows before SIGKILL, with gRPC's 5 s.
    grace_s: float = 10.0
    unwind_s: float = 3.0

    async def shutdown(self) -> None:
        """Stop taking requests, let in-flight work finish, then drain NATS and close the database.

        The background tasks (relay, consumers, a service's sweeps) end before the bus and the
        database close: a task still running after the grace is cancelled and awaited, so its
        open transaction is rolled back on its connection, not cut off by the engine's disposal
        (or by the process's end) with the task still inside it."""
        rt = self.runtime
        if self.http_server is not None:
            self.http_server.should_exit = True
        if self.grpc_server is not None:
            await self.grpc_server.stop(grace=5)
        self.stop.set()
        rt.relay.wake.set()
        done, pending = await asyncio.wait(self.tasks, timeout=self.grace_s)
        for task in pending:
            task.cancel()
        if pending:
            _, stuck = await asyncio.wait(pending, timeout=self.unwind_s)
            for task in stuck:  # it swallowed its cancellation: closing under it regardless
                log.error("task %s did not end on shutdown", task.get_name())
        await rt.bus.close()
        await rt.close_channels()
        await rt.db.dispose()


async def start(spec: ServiceSpec, settings: Settings) -> Running:
    """Start every part of the service and return once REST and gRPC are listening."""
    rt = Runtime(spec, settings)
    if faults.ARMED:
        log.warning(
            "GOVIT_FAULT is set (tests only): this process may kill itself at %s", faults.ARMED
        )
    stop = asyncio.Event()
    await rt.bus.connect(stop)
    running = Running(rt, 0, 0, stop)
    running.tasks.append(asyncio.create_task(rt.relay.run(stop), name="outbox-relay"))
    running.tasks.append(asyncio.create_task(rt.consumers.run(stop), name="consumers"))
    for task in spec.tasks:
        running.tasks.append(asyncio.create_task(task(rt, stop), name=task.__name__))
    # Every service also answers what its outbox published (audit reconciles with it).
    servicers = [*spec.servicers(rt), outbox_servicer(rt)]
    server, grpc_port, health = await start_server(
        host=settings.grpc_host,
        port=settings.grpc_port,
        verifier=rt.verifier,
        service=spec.name,
        servicers=servicers,
    )
    names = [name for _, _, name in servicers]
    running.tasks.append(asyncio.create_task(rt.watch_health(health, names, stop), name="health"))
    running.grpc_server, running.grpc_port = server, grpc_port
    config = uvicorn.Config(
        rt.app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        lifespan="off",
    )
    http = _Uvicorn(config)
    running.http_server = http
    running.tasks.append(asyncio.create_task(http.serve(), name="http"))
    while not http.started:
        if running.tasks[-1].done():
            await running.tasks[-1]  # surfaces the bind error
            raise RuntimeError("HTTP server stopped during start-up")
        await asyncio.sleep(0.02)
    running.http_port = http.servers[0].sockets[0].getsockname()[1]
    return running


async def serve(spec: ServiceSpec, settings: Settings) -> None:
    """Run the service until SIGINT or SIGTERM, then shut down gracefully."""
    running = await start(spec, settings)
    # What start-up built (modules, mappers, schemas) lives as long as the process: out of the
    # collector's reach, a full collection scans only what requests left, not pausing the
    # event loop (every request and stream) for 100 ms and more.
    gc.collect()
    gc.freeze()
    log.info(
        "govit-%s ready: http://%s:%d/docs grpc %s:%d profile %s",
        spec.name,
        settings.http_host,
        running.http_port,
        settings.grpc_host,
        running.grpc_port,
        running.runtime.profile.name,
    )
    loop = asyncio.get_running_loop()
    signalled = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, signalled.set)
    await signalled.wait()
    log.info("govit-%s shutting down", spec.name)
    await running.shutdown()


def run(spec: ServiceSpec) -> None:
    """Entry point of `govit-<service> serve`."""
    settings = spec.settings_cls(service=spec.name)
    setup_logging(spec.name, settings.log_level)
    setup_tracing(spec.name, settings.traces_exporter)
    try:
        asyncio.run(serve(spec, settings))
    except KeyboardInterrupt:
        sys.exit(130)
