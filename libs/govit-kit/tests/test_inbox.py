"""Idempotent consumers: the inbox, redelivery, and the dead-letter table, on real NATS and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from prometheus_client import REGISTRY

from govit.common.v1.common_pb2 import OrgRef
from govit_kit.errors import Conflict, NotFound
from govit_kit.events import Event
from govit_kit.inbox import Consumers, NotYet, Subscription
from govit_kit.testing import wait_until


class Notes:
    """The test service's handler: each event adds a note whose text is the event id."""

    def __init__(self, kit, poison: set[str] = frozenset()) -> None:
        self.kit, self.poison = kit, poison
        self.calls: list[str] = []
        self.awaiting: dict[str, int] = {}  # event id -> tries that still find their fact missing

    async def __call__(self, uow, event: Event) -> None:
        self.calls.append(event.id)
        if event.id in self.poison:
            raise RuntimeError(f"cannot digest {event.id}")
        if self.awaiting.get(event.id, 0) > 0:
            self.awaiting[event.id] -= 1
            raise NotYet(f"{event.id} waits for another event")
        await uow.session.execute(self.kit.note.insert().values(text=event.id))


class SpyConsumers(Consumers):
    """Consumers that remember each delivery they were handed (event id, delivery count)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deliveries: list[tuple[str, int]] = []

    async def handle_batch(self, sub, msgs) -> None:
        for msg in msgs:
            ce_id = (msg.headers or {}).get("ce-id", "")
            self.deliveries.append((ce_id, msg.metadata.num_delivered))
        await super().handle_batch(sub, msgs)


class Harness:
    """A test service with one subscription to its own note events, run in the background."""

    def __init__(self, kit, poison: set[str], *, in_bulk: bool = False) -> None:
        self.kit = kit
        self.handler = Notes(kit, poison)
        self.batches: list[list[str]] = []  # the event ids each batch_handler call was given

        async def bulk(uow, events) -> None:
            self.batches.append([e.id for e in events])
            for event in events:
                await self.handler(uow, event)

        self.sub = Subscription(
            "notes", "govit.kittest.note.>", self.handler, batch_handler=bulk if in_bulk else None
        )
        self.consumers = SpyConsumers(kit.db, kit.bus, kit.settings, [self.sub])
        self.stop = asyncio.Event()
        self.task: asyncio.Task | None = None

    @property
    def subject(self) -> str:
        return f"{self.kit.settings.subject_root}.kittest.note.created"

    def start(self) -> None:
        self.task = asyncio.create_task(self.consumers.run(self.stop))

    async def publish(self, event_id: str, *, msg_id: str | None = None, headers=None) -> None:
        h = self.kit.event_headers(event_id, msg_id=msg_id) if headers is None else headers
        await self.kit.bus.js.publish(
            self.subject, OrgRef(org_id="org-a").SerializeToString(), headers=h
        )

    async def settled(self, stream_messages: int) -> bool:
        """Whether the durable consumer has been handed every message and acked it."""
        try:
            info = await self.kit.bus.js.consumer_info(
                self.kit.settings.stream, self.consumers.durable(self.sub)
            )
        except Exception:  # not created yet
            return False
        return (
            info.delivered.stream_seq >= stream_messages
            and info.num_pending == 0
            and info.num_ack_pending == 0
        )

    async def notes_of(self, event_id: str) -> int:
        return await self.kit.count(self.kit.note, self.kit.note.c.text == event_id)

    async def inbox_of(self, event_id: str) -> list:
        inbox = self.kit.db.tables.inbox
        return await self.kit.rows(inbox, inbox.c.event_id == event_id)

    async def close(self) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 15)


@pytest_asyncio.fixture
async def harness(make_kit) -> AsyncIterator:
    made: list[Harness] = []

    async def make(poison: set[str] = frozenset(), in_bulk=False, **overrides) -> Harness:
        h = Harness(await make_kit(**overrides), poison, in_bulk=in_bulk)
        made.append(h)
        return h

    yield make
    for h in made:
        await h.close()


async def test_a_redelivered_event_is_applied_once(harness):
    h = await harness()
    event_id = str(uuid.uuid4())
    # The same event published twice under different Nats-Msg-Ids: JetStream keeps both.
    await h.publish(event_id, msg_id=str(uuid.uuid4()))
    await h.publish(event_id, msg_id=str(uuid.uuid4()))
    assert len(await h.kit.stream_messages()) == 2
    h.start()

    await wait_until(lambda: h.settled(2))
    assert [d[0] for d in h.consumers.deliveries] == [event_id, event_id]
    assert await h.notes_of(event_id) == 1
    [row] = await h.inbox_of(event_id)
    assert row.outcome == "applied" and row.consumer == "notes"
    assert h.handler.calls == [event_id]


async def test_a_batch_handler_gets_each_new_event_once_in_order(harness):
    h = await harness(in_bulk=True)
    ids = [str(uuid.uuid4()) for _ in range(30)]
    for event_id in ids:
        await h.publish(event_id)
    await h.publish(ids[3], msg_id=str(uuid.uuid4()))  # a redelivery of an applied event
    h.start()

    await wait_until(lambda: h.settled(31))
    # Fetched together, so far fewer calls than events; in stream order; the repeat skipped.
    assert len(h.batches) < 10
    assert [i for batch in h.batches for i in batch] == ids
    assert [await h.notes_of(i) for i in ids] == [1] * 30
    assert [len(await h.inbox_of(i)) for i in ids] == [1] * 30


async def test_a_poison_event_in_a_batch_holds_back_nothing(harness):
    poison = str(uuid.uuid4())
    ids = [str(uuid.uuid4()) for _ in range(5)]
    h = await harness({poison}, in_bulk=True, consumer_max_deliver=2)
    for event_id in [*ids[:2], poison, *ids[2:]]:
        await h.publish(event_id)
    h.start()

    dl = h.kit.db.tables.dead_letter

    async def done() -> bool:
        return await h.kit.count(dl) == 1 and await h.settled(6)

    await wait_until(done)
    assert [await h.notes_of(i) for i in ids] == [1] * 5  # the batch failed; each alone did not
    assert await h.notes_of(poison) == 0
    [row] = await h.kit.rows(dl)
    assert row.event_id == poison and row.attempts == 2


async def test_a_consumer_killed_between_applying_and_acking(harness):
    h = await harness(consumer_ack_wait_s=1.0)
    event_id = str(uuid.uuid4())
    await h.publish(event_id)
    # A replica that fetches, applies and commits, then dies before its ack leaves.
    js, settings = h.kit.bus.js, h.kit.settings
    crashed = await js.pull_subscribe(
        h.consumers.filter_subject(h.sub),
        durable=h.consumers.durable(h.sub),
        stream=settings.stream,
        config=ConsumerConfig(
            durable_name=h.consumers.durable(h.sub),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=settings.consumer_ack_wait_s,
            max_deliver=-1,
            filter_subject=h.consumers.filter_subject(h.sub),
        ),
    )
    [msg] = await crashed.fetch(1, timeout=5)
    assert await h.consumers.apply(h.sub, [Event.from_nats(msg.subject, msg.headers, msg.data)])
    await crashed.unsubscribe()  # gone without an ack
    assert await h.notes_of(event_id) == 1

    h.start()  # the surviving replica gets the message again once the ack wait runs out

    async def redelivered_and_acked() -> bool:
        return (event_id, 2) in h.consumers.deliveries and await h.settled(1)

    await wait_until(redelivered_and_acked)
    assert await h.notes_of(event_id) == 1
    assert len(await h.inbox_of(event_id)) == 1
    assert h.handler.calls == [event_id]


async def test_a_poison_event_is_dead_lettered_and_the_next_one_applied(harness):
    poison, good = str(uuid.uuid4()), str(uuid.uuid4())
    h = await harness({poison}, consumer_max_deliver=3)
    await h.publish(poison)
    await h.publish(good)
    h.start()

    dl = h.kit.db.tables.dead_letter

    async def dead_lettered_and_applied() -> bool:
        return await h.kit.count(dl) == 1 and await h.notes_of(good) == 1 and await h.settled(2)

    await wait_until(dead_lettered_and_applied)
    [row] = await h.kit.rows(dl)
    assert row.event_id == poison
    assert row.consumer == "notes"
    assert row.attempts == 3
    assert f"cannot digest {poison}" in row.error
    assert row.event_type == "govit.kittest.note.created"
    assert row.headers["ce-id"] == poison and row.payload
    assert [n for i, n in h.consumers.deliveries if i == poison] == [1, 2, 3]
    # Its first delivery came in one batch with the good event: tried in the batch (which
    # rolled back), then alone; each redelivery comes alone.
    assert h.handler.calls.count(poison) == 4
    assert await h.notes_of(poison) == 0
    [entry] = await h.inbox_of(poison)
    assert entry.outcome == "dead_letter"
    [entry] = await h.inbox_of(good)
    assert entry.outcome == "applied"
    gauge = REGISTRY.get_sample_value("govit_dead_letters", {"service": "kittest"})
    assert gauge == await h.kit.count(dl) == 1


async def test_a_dead_letter_is_replayed_once_its_cause_is_fixed(harness):
    poison = str(uuid.uuid4())
    h = await harness({poison}, consumer_max_deliver=2)
    await h.publish(poison)
    h.start()
    dl = h.kit.db.tables.dead_letter

    async def dead_lettered() -> bool:
        return await h.kit.count(dl) == 1 and await h.settled(1)

    await wait_until(dead_lettered)
    [row] = await h.kit.rows(dl)
    # Still broken: the replay fails, and the dead letter and the inbox stay as they were.
    with pytest.raises(Conflict, match="failed again"):
        await h.consumers.replay(row.id)
    assert await h.kit.count(dl) == 1 and await h.notes_of(poison) == 0
    [entry] = await h.inbox_of(poison)
    assert entry.outcome == "dead_letter"
    # Fixed: the replay applies it once and removes the dead letter; a second replay is a 404.
    h.handler.poison = frozenset()
    assert await h.consumers.replay(row.id) == poison
    assert await h.kit.count(dl) == 0 and await h.notes_of(poison) == 1
    [entry] = await h.inbox_of(poison)
    assert entry.outcome == "replayed"
    with pytest.raises(NotFound):
        await h.consumers.replay(row.id)
    assert REGISTRY.get_sample_value("govit_dead_letters", {"service": "kittest"}) == 0


async def test_an_unreadable_message_goes_straight_to_dead_letters(harness):
    good = str(uuid.uuid4())
    h = await harness(consumer_max_deliver=3)
    await h.kit.bus.js.publish(h.subject, b"no envelope", headers={"Nats-Msg-Id": "x-1"})
    await h.publish(good)
    h.start()

    dl = h.kit.db.tables.dead_letter

    async def handled() -> bool:
        return await h.settled(2) and await h.notes_of(good) == 1

    await wait_until(handled)
    [row] = await h.kit.rows(dl)
    assert row.attempts == 1  # no retry can help a message that cannot be read
    assert "lacks CloudEvents headers" in row.error
    assert row.payload == b"no envelope"
    assert row.nats_subject == h.subject
    assert h.handler.calls == [good]
    assert await h.kit.count(h.kit.db.tables.inbox) == 1  # the good event only
    gauge = REGISTRY.get_sample_value("govit_dead_letters", {"service": "kittest"})
    assert gauge == 1


async def test_unreadable_messages_the_inbox_cannot_hold_are_dead_lettered_too(harness):
    """Regression: an id longer than the inbox's column, or an unreadable message that reuses
    an id the inbox already holds, made the dead-letter write itself fail; the message was never
    acked and came back forever. Now both are dead-lettered at once and the consumer goes on."""
    good, long_id = str(uuid.uuid4()), "x" * 80
    h = await harness(consumer_max_deliver=3)
    await h.publish(long_id)
    await h.publish(good)
    unreadable = {**h.kit.event_headers(good, msg_id=f"{good}-again"), "ce-time": "yesterday"}
    await h.publish(good, headers=unreadable)
    h.start()

    dl = h.kit.db.tables.dead_letter

    async def handled() -> bool:
        return await h.settled(3) and await h.notes_of(good) == 1 and await h.kit.count(dl) == 2

    await wait_until(handled)
    too_long, reused = sorted(await h.kit.rows(dl), key=lambda r: r.id)
    assert too_long.event_id == "" and too_long.headers["ce-id"] == long_id
    assert "ce-id is longer than 36 characters" in too_long.error
    assert reused.event_id == good and "yesterday" in reused.error
    assert too_long.attempts == reused.attempts == 1
    [entry] = await h.inbox_of(good)
    assert entry.outcome == "applied"  # the good event's row, not overwritten


async def test_an_event_awaiting_another_is_retried_beyond_the_poison_limit(harness):
    """After an outage a conclusion may come before its submission: the handler says NotYet and
    the event waits (consumer_await_max_deliver tries), where a failure would be dead-lettered."""
    waiting = str(uuid.uuid4())
    h = await harness(consumer_max_deliver=2, consumer_await_max_deliver=10)
    h.handler.awaiting[waiting] = 3  # its fact arrives before the 4th try
    await h.publish(waiting)
    h.start()

    async def applied() -> bool:
        return await h.notes_of(waiting) == 1 and await h.settled(1)

    await wait_until(applied, timeout=30)
    assert await h.kit.count(h.kit.db.tables.dead_letter) == 0
    assert [n for i, n in h.consumers.deliveries if i == waiting] == [1, 2, 3, 4]
    [entry] = await h.inbox_of(waiting)
    assert entry.outcome == "applied"
