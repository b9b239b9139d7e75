"""The transactional outbox and its relay, on real PostgreSQL and NATS JetStream."""

from __future__ import annotations

import asyncio
import time
import uuid

import nats
import pytest
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import REGISTRY

from govit.common.v1.common_pb2 import OrgRef
from govit_kit.events import Event
from govit_kit.outbox import OutboxRelay
from govit_kit.platform import NatsServer
from govit_kit.testing import EventSpace, wait_until


class Boom(Exception):
    pass


async def test_state_change_and_event_commit_or_roll_back_together(kit):
    outbox, note = kit.db.tables.outbox, kit.note
    with pytest.raises(Boom):
        async with kit.db.unit_of_work() as uow:
            await uow.session.execute(note.insert().values(id="n-1", text="lost"))
            await uow.emit("note", "created", OrgRef(org_id="org-a"), subject="n-1")
            raise Boom
    assert await kit.count(note) == 0
    assert await kit.count(outbox) == 0

    async with kit.db.unit_of_work() as uow:
        await uow.session.execute(note.insert().values(id="n-2", text="kept"))
        event_id = await uow.emit(
            "note", "created", OrgRef(org_id="org-a"), subject="n-2", org_id="org-a"
        )
    assert [r.text for r in await kit.rows(note)] == ["kept"]
    [row] = await kit.rows(outbox)
    assert row.event_id == event_id
    assert row.nats_subject == f"{kit.settings.subject_root}.kittest.note.created"
    assert row.event_type == "govit.kittest.note.created"
    assert row.subject == "n-2" and row.org_id == "org-a"
    assert row.published_at is None
    assert OrgRef.FromString(row.payload).org_id == "org-a"


async def test_on_commit_calls_back_after_the_commit_only_and_before_the_relay_wakes(kit):
    note, calls = kit.note, []
    kit.db.on_commit(lambda: calls.append("relay woken"))
    with pytest.raises(Boom):
        async with kit.db.unit_of_work() as uow:
            await uow.session.execute(note.insert().values(id="n-1", text="lost"))
            await uow.emit("note", "created", OrgRef(org_id="org-a"), subject="n-1")
            uow.on_commit(lambda: calls.append("rolled back, yet called"))
            raise Boom
    assert calls == []

    async with kit.db.unit_of_work() as uow:
        await uow.session.execute(note.insert().values(id="n-2", text="kept"))
        await uow.emit("note", "created", OrgRef(org_id="org-a"), subject="n-2")
        uow.on_commit(lambda: calls.append("committed"))
        assert calls == []  # not before the commit
    assert calls == ["committed", "relay woken"]


async def test_relay_publishes_with_msg_id_and_cloudevents_headers(kit):
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("submit") as span:
        event_id = await kit.write_note("hello")
        ctx = span.get_span_context()
    relay = kit.relay()

    assert await relay.publish_batch() == 1
    assert await relay.backlog() == 0
    assert await relay.publish_batch() == 0  # a published row is not published again

    [msg] = await kit.stream_messages()
    h = msg.headers
    assert msg.subject == f"{kit.settings.subject_root}.kittest.note.created"
    assert h["Nats-Msg-Id"] == event_id
    assert h["ce-id"] == event_id
    assert h["ce-type"] == "govit.kittest.note.created"
    assert h["ce-source"] == "/govit/kittest"
    assert h["ce-specversion"] == "1.0"
    [note] = await kit.rows(kit.note)
    assert h["ce-subject"] == note.id  # the aggregate's id
    assert h["ce-dataschema"] == "govit.common.v1.OrgRef"
    assert h["ce-orgid"] == "org-a"
    version, trace_id, span_id, _flags = h["traceparent"].split("-")
    assert (version, trace_id, span_id) == ("00", f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}")
    event = Event.from_nats(msg.subject, h, msg.data)  # what a consumer reads back
    assert event.id == event_id and event.time.tzinfo is not None
    assert event.message.org_id == "hello"
    [row] = await kit.rows(kit.db.tables.outbox)
    assert row.published_at is not None and row.attempts == 1


class CountingRelay(OutboxRelay):
    """A spy: counts the publishes that failed and the event ids that were acked."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.failures = 0
        self.published: list[str] = []

    async def _publish_all(self, rows):
        acked, error = await super()._publish_all(rows)
        if error is not None:
            self.failures += 1
        done = set(acked)
        self.published += [row.event_id for row in rows if row.seq in done]
        return acked, error


async def test_outbox_survives_a_broker_restart(make_kit, tmp_path):
    store = tmp_path / "jetstream"
    server = NatsServer(store).start()
    tag = uuid.uuid4().hex[:10]
    space = EventSpace(server.url, f"R_{tag}", f"r{tag}.govit")
    n = 20
    stop = asyncio.Event()
    relay = task = None
    try:
        kit = await make_kit(space=space, publish_timeout_s=1.0, relay_idle_s=0.1)
        relay = kit.relay(cls=CountingRelay)
        task = asyncio.create_task(relay.run(stop))
        first = await kit.write_note("before the crash")

        async def drained() -> bool:
            return await relay.backlog() == 0

        async def tried_and_failed() -> bool:
            assert not task.done(), "the relay crashed while the broker was down"
            return relay.failures >= 2

        await wait_until(drained, timeout=10)

        server.stop(kill=True)
        ids = [first] + [await kit.write_note(f"while down {i}") for i in range(n)]
        await wait_until(tried_and_failed, timeout=15)

        async def gauge_shows_the_backlog() -> bool:  # the relay refreshes it while NATS is down
            labels = {"service": kit.db.service}
            return REGISTRY.get_sample_value("govit_outbox_backlog", labels) == n

        # Within the relay's longest back-off (10 s; the commits above each cut a wait short
        # and doubled it) after the last write.
        await wait_until(gauge_shows_the_backlog, timeout=20)
        assert await relay.backlog() == n

        server = NatsServer(store, port=server.port).start()  # same port, same store
        await wait_until(drained, timeout=30)
        assert not task.done()

        messages = await kit.stream_messages()
        ce_ids = [m.headers["ce-id"] for m in messages]
        assert len(messages) == n + 1
        assert sorted(ce_ids) == sorted(ids)  # each event exactly once
    finally:
        stop.set()
        if relay is not None:
            relay.wake.set()
        if task is not None:
            await asyncio.wait_for(task, 15)
        server.stop()


async def test_two_relays_on_one_database_never_publish_a_row_twice(make_kit):
    kit = await make_kit(relay_batch=10)
    async with kit.db.unit_of_work() as uow:
        for i in range(200):
            await uow.emit("note", "created", OrgRef(org_id=f"o{i}"), subject=f"n-{i}")
    expected = {r.event_id for r in await kit.rows(kit.db.tables.outbox)}
    assert len(expected) == 200

    # Two replicas: each its own Database (connection pool) and NATS connection, one database.
    replicas = [
        kit.relay(db=kit.database(), bus=await kit.bus_of_its_own(), cls=CountingRelay)
        for _ in range(2)
    ]

    async def drain(relay: CountingRelay) -> None:
        while await relay.publish_batch() > 0:
            pass

    await asyncio.wait_for(asyncio.gather(*(drain(r) for r in replicas)), 60)

    a, b = (set(r.published) for r in replicas)
    assert len(replicas[0].published) == len(a) and len(replicas[1].published) == len(b)
    assert a and b, "both relays should have had a share of the work"
    assert a & b == set()
    assert a | b == expected
    assert await replicas[0].backlog() == 0
    messages = await kit.stream_messages()
    assert sorted(m.headers["ce-id"] for m in messages) == sorted(expected)


async def test_a_send_that_fails_is_the_error_the_relay_reports(make_kit, monkeypatch):
    """Regression: when the first send of a batch raised, the relay waited on no futures and
    reported asyncio's 'empty set' ValueError instead of the send's error."""
    kit = await make_kit()
    await kit.write_note("never sent")
    relay = kit.relay()

    async def closed(*args, **kwargs):  # the connection closing between the check and the send
        raise nats.errors.ConnectionClosedError

    monkeypatch.setattr(kit.bus.js, "publish_async", closed)
    with pytest.raises(nats.errors.ConnectionClosedError):
        await relay.publish_batch()
    assert await relay.backlog() == 1


@pytest.mark.parametrize("broker_side", ["no stream", "silent responder"])
async def test_a_publish_without_ack_does_not_hang_the_relay(make_kit, broker_side):
    kit = await make_kit(publish_timeout_s=0.5)
    # Events of this database go to a subject no stream captures.
    root = f"nostream{uuid.uuid4().hex[:10]}.govit"
    db = kit.database(subject_root=root)
    sub = None
    if broker_side == "silent responder":  # someone answers nothing, so no "no responders" either
        sub = await kit.bus.nc.subscribe(f"{root}.>")
    try:
        event_id = await kit.write_note("unacked", db=db)
        relay = kit.relay(db=db)
        started = time.monotonic()
        with pytest.raises((nats.errors.Error, TimeoutError, ConnectionError)):
            await relay.publish_batch()
        assert time.monotonic() - started < kit.settings.publish_timeout_s + 2
        [row] = await kit.rows(db.tables.outbox)
        assert row.event_id == event_id and row.published_at is None
        assert await relay.backlog() == 1
    finally:
        if sub is not None:
            await sub.unsubscribe()
