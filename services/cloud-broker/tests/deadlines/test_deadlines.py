"""Due dates are stored; the scheduler raises one event per passed deadline, across restarts."""

from datetime import timedelta

from sqlalchemy import func, select, update

from cloud_broker.config import CloudBrokerSettings
from cloud_broker.deadlines.models import Deadline
from cloud_broker.deadlines.scheduled import raise_passed
from cloud_broker.main import spec as broker_spec
from govit_kit.db import utcnow
from govit_kit.testing import run_service, settings_for, wait_until


async def passed_events(db) -> int:
    ob = db.tables.outbox
    async with db.sessions() as s:
        return await s.scalar(select(func.count()).where(ob.c.event_type.like("%.deadline.passed")))


async def test_overdue_approval_raises_one_event_and_is_listed(broker):
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.step(rid, "accept", broker.admin)
    db = broker.running.runtime.db
    async with db.sessions() as s:
        d = await s.scalar(select(Deadline).where(Deadline.subject_id == rid))
    assert (d.kind, d.party, d.rule_id, d.article) == ("approval", "bureau", "L4", "SN C art11")
    assert d.due_at > utcnow()
    assert (await broker.http.get("/v1/deadlines/overdue", headers=broker.admin)).json()[
        "items"
    ] == []
    # Time passes: the due date is now behind us.
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            update(Deadline).where(Deadline.id == d.id).values(due_at=utcnow() - timedelta(hours=1))
        )

    async def raised():
        return await passed_events(db) == 1

    await wait_until(raised)
    assert await raise_passed(db) == 0  # once per deadline, however often the scheduler runs
    assert await passed_events(db) == 1
    r = await broker.http.get("/v1/deadlines/overdue", headers=broker.admin)
    [item] = r.json()["items"]
    assert (item["subject_id"], item["party"], item["rule_id"]) == (rid, "bureau", "L4")
    assert item["passed_at"] is not None
    assert [
        i["subject_id"]
        for i in (await broker.http.get("/v1/deadlines/overdue", headers=broker.unit())).json()[
            "items"
        ]
    ] == [rid]
    assert (await broker.http.get("/v1/deadlines/overdue", headers=broker.unit("org-b"))).json()[
        "items"
    ] == []
    assert (await broker.http.get("/v1/deadlines/overdue", headers=broker.provider())).json()[
        "items"
    ] == []
    # Approving late meets it: no longer overdue (the passed event stays in the log).
    await broker.step(rid, "approve", broker.admin)
    assert (await broker.http.get("/v1/deadlines/overdue", headers=broker.admin)).json()[
        "items"
    ] == []


async def test_scheduler_survives_a_restart(databases, event_space, jwt_dir):
    url = await databases.create("cloud_broker")
    settings = settings_for(
        "cloud_broker",
        database_url=url,
        space=event_space,
        data_dir=jwt_dir,
        cls=CloudBrokerSettings,
        scheduler_interval_s=0.2,
    )

    async def add(db, name, due):
        async with db.unit_of_work() as uow:
            uow.session.add(
                Deadline(
                    subject_kind="resource_request",
                    subject_id=name,
                    kind="approval",
                    org_id="org-a",
                    party="bureau",
                    rule_id="L4",
                    article="SN C art11",
                    reason="x",
                    due_at=due,
                )
            )

    first = await run_service(broker_spec(), settings)
    db = first.runtime.db
    await add(db, "r1", utcnow() - timedelta(minutes=1))
    await add(db, "r-future", utcnow() + timedelta(days=3))

    async def count_is(db, n):
        async def check():
            return await passed_events(db) == n

        return check

    await wait_until(await count_is(db, 1))
    await first.shutdown()

    second = await run_service(broker_spec(), settings)
    try:
        db = second.runtime.db
        await add(db, "r2", utcnow() - timedelta(minutes=1))  # passed while the first was down
        await wait_until(await count_is(db, 2))
        assert await raise_passed(db) == 0
        assert await passed_events(db) == 2  # r1 was not raised again, r-future not yet
    finally:
        await second.shutdown()


async def test_a_step_done_late_before_the_sweep_is_raised_late(broker_no_scheduler):
    """The scheduler sweeps every interval: a step done after its due date but before the sweep
    raised it is still late. Meeting it raises it (passed_at and its event, once), so a late
    approval is never recorded as on time; the sweep raises nothing more."""
    broker = broker_no_scheduler
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.step(rid, "accept", broker.admin)
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            update(Deadline)
            .where(Deadline.subject_id == rid)
            .values(due_at=utcnow() - timedelta(minutes=1))
        )
    await broker.step(rid, "approve", broker.admin)
    async with db.sessions() as s:
        d = await s.scalar(select(Deadline).where(Deadline.subject_id == rid))
    assert d.met_at is not None and d.passed_at is not None and d.passed_at <= d.met_at
    assert await passed_events(db) == 1
    assert await raise_passed(db) == 0
    assert await passed_events(db) == 1
    # A step done in time raises nothing.
    rid2 = (await broker.file(pid))["id"]
    await broker.step(rid2, "accept", broker.admin)
    await broker.step(rid2, "approve", broker.admin)
    async with db.sessions() as s:
        d2 = await s.scalar(select(Deadline).where(Deadline.subject_id == rid2))
    assert d2.met_at is not None and d2.passed_at is None
    assert await passed_events(db) == 1
