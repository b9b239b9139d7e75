"""Intake's register promotes or transfers a system (K3, K4): its resources go to the new owner.

The register's events are published on the stream as intake's relay would; the broker runs on
real PostgreSQL and NATS. Bills follow the owner at each month's end.
"""

import asyncio
import datetime as dt

from sqlalchemy import func, select

from cloud_broker.deadlines.models import Deadline
from cloud_broker.provider.models import WorkOrder
from cloud_broker.requests.models import (
    ChangeRequest,
    OwnershipChange,
    RegisterMove,
    RequestTransition,
    ResourceRequest,
)
from cloud_broker.systems import flows as systems
from cloud_broker.utilisation.models import UtilisationFinding
from govit.cloud_broker.v1 import events_pb2
from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.db import new_id
from govit_kit.events import Event
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

TRANSFERRED_AT = dt.datetime(2026, 11, 10, 9, 30, tzinfo=SHANGHAI)


def resource(rid, org, status="active", operation=None) -> ResourceRequest:
    return ResourceRequest(
        id=rid,
        project_id="p",
        org_id=org,
        service_mode="general",
        status=status,
        items=[{"sku": "ecs.vcpu", "quantity": 4}],
        submitted_by="x",
        platform_id="pa",
        resource_ids=[f"vm-{rid}"],
        materials={},
        active_operation=operation,
    )


def moved(system, owner, new_owner, rule=("K4", "SN P art47"), ids=("r1", "r2", "rx", "rc")):
    return intake_events.SystemLifecycleChanged(
        system_id=system,
        owner_org_id=owner,
        action="transferred",
        status="active",
        plan="机构改革后转移管理",
        cloud_resource_ids=list(ids),
        new_owner_org_id=new_owner,
        rule=common_pb2.RuleRef(rule_id=rule[0], article=rule[1]),
    )


async def test_transfer_moves_resources_and_their_bills(broker):
    await broker.catalog()  # ecs.vcpu at 120.00 on pa
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        for row in (
            resource("r1", "org-a"),
            resource("r2", "org-a", operation="change"),  # a change under way goes on
            resource("rx", "org-a", status="reclaimed"),  # exited: stays
            resource("rc", "org-c"),  # typed into the register by mistake: not the owner's
        ):
            uow.session.add(row)
        await uow.session.flush()
        uow.session.add(
            RequestTransition(
                request_id="r1",
                action="complete",
                from_status="provisioning",
                to_status="configured",
                actor="x",
                actor_org="x",
                at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
            )
        )

    async def read(rid, org):
        return await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit(org))

    async def listed(org):
        r = await broker.http.get("/v1/resource-requests", headers=broker.unit(org))
        assert r.status_code == 200, r.text
        body = r.json()
        return {x["id"] for x in (body["items"] if isinstance(body, dict) else body)}

    # The new owner's cloud account is not here yet: the event waits and is retried.
    event_id = await publish_event(
        broker.space,
        "intake",
        "system",
        "transferred",
        moved("sys-1", "org-a", "org-b"),
        subject="sys-1",
        org_id="org-a",
        event_time=TRANSFERRED_AT.astimezone(dt.UTC),
    )
    await asyncio.sleep(1.0)
    assert (await read("r1", "org-a")).status_code == 200
    r = await broker.http.put("/v1/units/org-b", headers=broker.admin, json={"name": "B"})
    assert r.status_code in (200, 201), r.text
    got = await wait_until(lambda: _ok(read("r1", "org-b")), timeout=30)

    assert got["org_id"] == "org-b"
    assert (await read("r1", "org-a")).status_code == 404
    assert (await listed("org-a")) == {"rx"}
    assert {"r1", "r2"} <= await listed("org-b")
    async with db.sessions() as s:
        r2 = await s.get(ResourceRequest, "r2")
        assert (r2.org_id, r2.active_operation) == ("org-b", "change")
        assert (await s.get(ResourceRequest, "rx")).org_id == "org-a"
        assert (await s.get(ResourceRequest, "rc")).org_id == "org-c"
        rows = (
            await s.scalars(select(OwnershipChange).order_by(OwnershipChange.resource_id))
        ).all()
    assert [(x.resource_id, x.from_org_id, x.to_org_id) for x in rows] == [
        ("r1", "org-a", "org-b"),
        ("r2", "org-a", "org-b"),
    ]
    assert {(x.rule_id, x.article, x.event_id, x.system_id) for x in rows} == {
        ("K4", "SN P art47", event_id, "sys-1")
    }
    assert rows[0].effective_at == TRANSFERRED_AT
    assert await broker.events("r1") == ["owner_changed"]
    ob = db.tables.outbox
    async with db.sessions() as s:
        payload = await s.scalar(
            select(ob.c.payload).where(ob.c.subject == "r1", ob.c.event_type.like("%owner_changed"))
        )
    msg = events_pb2.ResourceOwnerChanged.FromString(payload)
    assert (msg.from_org_id, msg.to_org_id, msg.rule.rule_id, msg.rule.article) == (
        "org-a",
        "org-b",
        "K4",
        "SN P art47",
    )

    # October ended before the transfer: the old owner's, though billed after it. November,
    # the transfer's month, is the new owner's.
    for period, owner in (("2026-10", "org-a"), ("2026-11", "org-b")):
        r = await broker.http.post(
            "/v1/billing/runs", headers=broker.admin, json={"period": period}
        )
        assert r.status_code == 200, r.text
        lines = (
            await broker.http.get(
                "/v1/billing/bill-lines", headers=broker.admin, params={"period": period}
            )
        ).json()
        assert [(x["org_id"], x["amount"]) for x in lines] == [(owner, "480.00")], period


async def test_a_redelivered_transfer_moves_nothing(broker):
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    for org in ("org-a", "org-b"):
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text
    there = moved("sys-1", "org-a", "org-b", rule=("K3", "SN P art46"), ids=["r1"])
    first = await publish_event(
        broker.space, "intake", "system", "promoted", there, subject="sys-1", org_id="org-a"
    )
    await wait_until(lambda: _owner(db, "r1", "org-b"))
    # The system comes back; then the first event is delivered again (a replayed dead letter,
    # a lost inbox row): it finds the resource with its former owner and must not move it.
    back = moved("sys-1", "org-b", "org-a", ids=["r1"])
    await publish_event(
        broker.space, "intake", "system", "transferred", back, subject="sys-1", org_id="org-b"
    )
    await wait_until(lambda: _owner(db, "r1", "org-a"))
    again = Event(
        id=first,
        type="govit.intake.system.promoted",
        source="/govit/intake",
        subject="sys-1",
        time=dt.datetime.now(dt.UTC),
        payload_type=there.DESCRIPTOR.full_name,
        payload=there.SerializeToString(),
    )
    async with db.unit_of_work() as uow:
        await systems.on_owner_changed(uow=uow, rt=broker.running.runtime, event=again)
    async with db.sessions() as s:
        assert (await s.get(ResourceRequest, "r1")).org_id == "org-a"
        rows = (
            await s.scalars(select(OwnershipChange).where(OwnershipChange.event_id == first))
        ).all()
    assert len(rows) == 1
    assert await broker.events("r1") == ["owner_changed", "owner_changed"]


async def _ok(response):
    r = await response
    return r.json() if r.status_code == 200 else None


async def _owner(db, rid, org):
    async with db.sessions() as s:
        return (await s.get(ResourceRequest, rid)).org_id == org


def finding(rid, org, status) -> UtilisationFinding:
    return UtilisationFinding(
        id=f"{rid}:2026-10",
        resource_id=rid,
        org_id=org,
        period="2026-10",
        cpu_class="low",
        memory_class="normal",
        storage_class="normal",
        finding="low",
        vcpu=4,
        memory_gb=8,
        recommended_vcpu=1,
        recommended_memory_gb=8,
        rule_id="L11",
        article="SN C art13",
        run_id="run-1",
        status=status,
    )


def order(oid, rid, status) -> WorkOrder:
    return WorkOrder(
        id=oid,
        request_id=rid,
        org_id="org-a",
        platform_id="pa",
        kind="modify",
        status=status,
        spec={"service_mode": "general", "items": []},
    )


def deadline(subject_kind, subject_id, kind, met=False) -> Deadline:
    due = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    return Deadline(
        subject_kind=subject_kind,
        subject_id=subject_id,
        kind=kind,
        org_id="org-a",
        party="unit",
        rule_id="L7",
        article="SN C art15",
        reason=kind,
        due_at=due,
        met_at=due if met else None,
    )


async def test_what_is_open_on_a_resource_goes_with_it(broker):
    """The change under way, the unmet deadlines and the unanswered finding are the new unit's;
    what the former owner did (a met deadline, an answered finding) stays its own."""
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        uow.session.add_all([resource("r1", "org-a", operation="change"), resource("r2", "org-a")])
        await uow.session.flush()
        uow.session.add(
            ChangeRequest(
                id="cr-1",
                request_id="r1",
                org_id="org-a",
                items=[{"sku": "ecs.vcpu", "quantity": 8}],
                reason="more",
                status="submitted",
                submitted_by="alice",
            )
        )
        uow.session.add_all(
            [
                deadline("change_request", "cr-1", "change_approval"),
                deadline("resource_request", "r1", "exit_transition"),
                deadline("resource_request", "r1", "deployment", met=True),
                finding("r1", "org-a", "open"),
                finding("r2", "org-a", "accepted"),
                order("wo-open", "r1", "claimed"),
                order("wo-done", "r1", "completed"),
            ]
        )
    for org in ("org-a", "org-b"):
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text
    await publish_event(
        broker.space,
        "intake",
        "system",
        "transferred",
        moved("sys-1", "org-a", "org-b", ids=["r1", "r2"]),
        subject="sys-1",
        org_id="org-a",
    )
    await wait_until(lambda: _owner(db, "r2", "org-b"))

    async def get(path, org):
        return await broker.http.get(path, headers=broker.unit(org))

    assert (await get("/v1/changes/cr-1", "org-b")).status_code == 200
    assert (await get("/v1/changes/cr-1", "org-a")).status_code == 404
    assert (await get("/v1/utilisation/findings/r1:2026-10", "org-b")).json()["status"] == "open"
    assert (await get("/v1/utilisation/findings/r1:2026-10", "org-a")).status_code == 404
    # The former owner accepted a plan for r2: its answer, so the finding stays its own.
    assert (await get("/v1/utilisation/findings/r2:2026-10", "org-a")).status_code == 200
    assert (await get("/v1/utilisation/findings/r2:2026-10", "org-b")).status_code == 404

    async def overdue(org):
        r = await get("/v1/deadlines/overdue", org)
        assert r.status_code == 200, r.text
        return sorted(x["kind"] for x in r.json()["items"])

    assert await overdue("org-b") == ["change_approval", "exit_transition"]
    assert await overdue("org-a") == []
    async with db.sessions() as s:
        met = await s.scalar(select(Deadline).where(Deadline.kind == "deployment"))
        orders = {o.id: o.org_id for o in await s.scalars(select(WorkOrder))}
    assert met.org_id == "org-a"
    # The claimed order's events now name the new owner; the finished one stays as it was.
    assert orders == {"wo-open": "org-b", "wo-done": "org-a"}


async def test_moves_apply_in_the_registers_order_whatever_order_they_arrive_in(broker):
    """A→B is retried (B's account is late) while B→C arrives: the resource still ends with C,
    through B, and each month bills the unit that held it at the month's end."""
    await broker.catalog()
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
        await uow.session.flush()
        uow.session.add(
            RequestTransition(
                request_id="r1",
                action="complete",
                from_status="provisioning",
                to_status="configured",
                actor="x",
                actor_org="x",
                at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
            )
        )
    for org in ("org-a", "org-c"):
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text
    to_b = dt.datetime(2026, 9, 15, tzinfo=SHANGHAI)
    to_c = dt.datetime(2026, 10, 20, tzinfo=SHANGHAI)
    first = await publish_event(
        broker.space,
        "intake",
        "system",
        "transferred",
        moved("sys-1", "org-a", "org-b", ids=["r1"]),
        subject="sys-1",
        org_id="org-a",
        event_time=to_b.astimezone(dt.UTC),
    )
    second = await publish_event(
        broker.space,
        "intake",
        "system",
        "transferred",
        moved("sys-1", "org-b", "org-c", ids=["r1"]),
        subject="sys-1",
        org_id="org-b",
        event_time=to_c.astimezone(dt.UTC),
    )

    async def recorded():
        async with db.sessions() as s:
            return await s.scalar(select(RegisterMove).where(RegisterMove.event_id == second))

    await wait_until(recorded)
    assert await _owner(db, "r1", "org-a")  # B→C is not A's to make: nothing moved yet
    r = await broker.http.put("/v1/units/org-b", headers=broker.admin, json={"name": "B"})
    assert r.status_code in (200, 201), r.text
    await wait_until(lambda: _owner(db, "r1", "org-c"), timeout=30)
    async with db.sessions() as s:
        rows = (await s.scalars(select(OwnershipChange).order_by(OwnershipChange.id))).all()
    assert [(x.from_org_id, x.to_org_id, x.event_id, x.effective_at) for x in rows] == [
        ("org-a", "org-b", first, to_b),
        ("org-b", "org-c", second, to_c),
    ]
    assert await broker.events("r1") == ["owner_changed", "owner_changed"]

    # A stale move (an older act, published late under its own id) moves nothing.
    await publish_event(
        broker.space,
        "intake",
        "system",
        "transferred",
        moved("sys-1", "org-c", "org-a", ids=["r1"]),
        subject="sys-1",
        org_id="org-c",
        event_time=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    )
    await wait_until(lambda: _count(db, RegisterMove, 3))
    assert await _owner(db, "r1", "org-c")

    for period, owner in (("2026-08", "org-a"), ("2026-09", "org-b"), ("2026-10", "org-c")):
        r = await broker.http.post(
            "/v1/billing/runs", headers=broker.admin, json={"period": period}
        )
        assert r.status_code == 200, r.text
        lines = (
            await broker.http.get(
                "/v1/billing/bill-lines", headers=broker.admin, params={"period": period}
            )
        ).json()
        assert [x["org_id"] for x in lines] == [owner], period


async def _count(db, model, n):
    async with db.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model)) == n


async def test_concurrent_moves_of_one_system_end_with_the_latest_owner(broker):
    """Two consumers apply A→B and B→C at once: whichever commits first, the resource ends
    with C (the later move is read only once the resource's lock is held)."""
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    for org in ("org-a", "org-b", "org-c"):
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text

    def event(msg, at):
        return Event(
            id=new_id(),
            type="govit.intake.system.transferred",
            source="/govit/intake",
            subject="sys-1",
            time=at,
            payload_type=msg.DESCRIPTOR.full_name,
            payload=msg.SerializeToString(),
        )

    to_b = event(
        moved("sys-1", "org-a", "org-b", ids=["r1"]), dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    )
    to_c = event(
        moved("sys-1", "org-b", "org-c", ids=["r1"]), dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    )
    applied, release = asyncio.Event(), asyncio.Event()

    async def later_first():  # B→C holds r1's lock, uncommitted, while A→B starts
        async with db.unit_of_work() as uow:
            await systems.on_owner_changed(uow=uow, rt=broker.running.runtime, event=to_c)
            applied.set()
            await release.wait()

    async def earlier():
        async with db.unit_of_work() as uow:
            await systems.on_owner_changed(uow=uow, rt=broker.running.runtime, event=to_b)

    holder = asyncio.create_task(later_first())
    await asyncio.wait_for(applied.wait(), 10)
    waiting = asyncio.create_task(earlier())
    await asyncio.sleep(0.5)
    assert not waiting.done()  # it waits for r1's lock
    release.set()
    await asyncio.wait_for(asyncio.gather(holder, waiting), 10)
    assert await _owner(db, "r1", "org-c")


async def test_a_move_locks_the_open_orders_before_the_resource(broker):
    """S1: a provider's call holds a resource's open order (as acting_on does, then updates
    the request); a move of the resource waits for that order before it locks the resource, so
    the provider's call can still take the resource: no cycle. (Before, the move locked the
    resource first and then waited to update the order: a deadlock with the provider.)"""
    from sqlalchemy import text

    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a", operation="change"))
        await uow.session.flush()
        uow.session.add(order("wo-open", "r1", "claimed"))
    for org in ("org-a", "org-b"):
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text
    async with db.engine.connect() as provider:
        await provider.begin()
        await provider.execute(text("SELECT id FROM work_order WHERE id = 'wo-open' FOR UPDATE"))
        await publish_event(
            broker.space,
            "intake",
            "system",
            "transferred",
            moved("sys-1", "org-a", "org-b", ids=["r1"]),
            subject="sys-1",
            org_id="org-a",
        )

        async def move_waits():
            async with db.engine.connect() as c:
                waiting = await c.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"
                    )
                )
                return waiting > 0

        await wait_until(move_waits)
        # NOWAIT: fails at once (55P03) if the waiting move already holds the resource.
        await provider.execute(
            text("SELECT id FROM resource_request WHERE id = 'r1' FOR UPDATE NOWAIT")
        )
        await provider.rollback()
    await wait_until(lambda: _owner(db, "r1", "org-b"))
