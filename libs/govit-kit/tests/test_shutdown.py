"""Shutting down: the background tasks end before the bus and the database close. The relay heeds
the stop between batches (a long backlog is not drained on until it is cancelled inside a
transaction), and a task still running after the grace is cancelled and awaited, so its
transaction is rolled back on its connection before the engine is disposed."""

import asyncio
import dataclasses

from sqlalchemy import text

from govit_kit.testing import run_service, settings_for


async def test_the_relay_ends_its_batch_and_returns_once_stopped(make_kit):
    kit = await make_kit(relay_batch=1)
    for i in range(4):
        await kit.write_note(f"n{i}")
    relay, stop, batches = kit.relay(), asyncio.Event(), []
    publish_batch = relay.publish_batch

    async def one_then_stop():
        batches.append(await publish_batch())
        stop.set()  # shutdown begins during the first batch
        return batches[-1]

    relay.publish_batch = one_then_stop
    await asyncio.wait_for(relay.run(stop), timeout=10)
    assert batches == [1]  # not the three others: the next start publishes them
    outbox = kit.db.tables.outbox
    assert await kit.count(outbox, outbox.c.published_at.is_(None)) == 3


async def test_a_task_cancelled_on_shutdown_rolls_back_before_the_engine_is_disposed(
    databases, event_space, jwt_dir
):
    from intake.main import spec as intake_spec

    seen = []
    disposed = []
    inside = asyncio.Event()  # set once the task holds its transaction

    async def stubborn(rt, stop):
        # Inside a transaction, deaf to the stop (a sweep as long as the relay's backlog): it
        # is cancelled, and unwinding takes a moment before its rollback.
        try:
            async with rt.db.sessions() as session, session.begin():
                await session.execute(text("SELECT 1"))
                inside.set()
                try:
                    await asyncio.sleep(3600)
                except asyncio.CancelledError:
                    await asyncio.sleep(0.3)
                    raise
        finally:
            seen.append("rolled back after dispose" if disposed else "rolled back")

    spec = intake_spec()
    spec = dataclasses.replace(spec, tasks=[*spec.tasks, stubborn])
    url = await databases.create("intake")
    settings = settings_for(
        "intake", database_url=url, space=event_space, data_dir=jwt_dir, cls=spec.settings_cls
    )
    running = await run_service(spec, settings)
    running.grace_s = running.unwind_s = 1.0
    dispose = running.runtime.db.dispose

    async def recorded():
        disposed.append(True)
        await dispose()

    running.runtime.db.dispose = recorded
    # Shut down only once the task is in its transaction, however loaded the machine: a
    # shutdown that came first would find nothing to roll back and pass on any code.
    await asyncio.wait_for(inside.wait(), timeout=20)
    await running.shutdown()
    assert seen == ["rolled back"]
    assert disposed and all(task.done() for task in running.tasks)
