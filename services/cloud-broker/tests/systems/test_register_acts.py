"""Intake's register freezes, unfreezes (K5) and decommissions (K1) a system, on subjects of
their own: the stream orders each subject, not one against another, and a move of the system
(K3, K4) may come after an act that names its new owner. Whatever order they arrive in, and
however often, the resources end as the register's acts say, in the register's order.

The events are published on the stream as intake's relay would (backdated to the register's
time); the broker runs on real PostgreSQL and NATS. An event has been applied once the
consumer's inbox holds it; a redelivery is an event published again under its id after its
inbox row was lost (a replayed dead letter).
"""

import datetime as dt

from sqlalchemy import delete, select

from cloud_broker.requests.models import ResourceRequest
from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.db import new_id
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

T1, T2, T3, T4 = (dt.datetime(2026, 11, day, 9, 0, tzinfo=SHANGHAI) for day in (2, 3, 4, 5))
RULE = {
    "frozen": ("K5", "SN P art48"),
    "unfrozen": ("K5", "SN P art48"),
    "decommissioned": ("K1", "SN P art44"),
}
CONSUMER = {
    "frozen": "intake-system-frozen",
    "unfrozen": "intake-system-unfrozen",
    "decommissioned": "intake-system-decommissioned",
    "transferred": "intake-system-transferred",
}


def resource(rid, org) -> ResourceRequest:
    return ResourceRequest(
        id=rid,
        project_id="p",
        org_id=org,
        service_mode="general",
        status="active",
        items=[{"sku": "ecs.vcpu", "quantity": 4}],
        submitted_by="x",
        platform_id="pa",
        resource_ids=[f"vm-{rid}"],
        materials={},
    )


def moved(owner, new_owner):
    return intake_events.SystemLifecycleChanged(
        system_id="sys-1",
        owner_org_id=owner,
        action="transferred",
        status="active",
        plan="机构改革后转移管理",
        cloud_resource_ids=["r1"],
        new_owner_org_id=new_owner,
        rule=common_pb2.RuleRef(rule_id="K4", article="SN P art47"),
    )


def acted(action, owner, system="sys-1", ids=("r1",)):
    rule_id, article = RULE[action]
    return intake_events.SystemLifecycleChanged(
        system_id=system,
        owner_org_id=owner,
        action=action,
        status={"unfrozen": "active"}.get(action, action),
        grounds="low_value" if action == "decommissioned" else "ordered",
        plan="数据备份后关停" if action == "decommissioned" else "整改期间冻结",
        cloud_resource_ids=list(ids),
        rule=common_pb2.RuleRef(rule_id=rule_id, article=article),
    )


async def publish(broker, action, message, at, event_id=None):
    """Publish one register event backdated to `at`; return its id once it is applied."""
    event_id = await publish_event(
        broker.space,
        "intake",
        "system",
        action,
        message,
        subject=message.system_id,
        org_id=message.owner_org_id,
        event_id=event_id,
        msg_id=new_id(),
        event_time=at.astimezone(dt.UTC),
    )
    if action != "transferred":
        await wait_until(lambda: _applied(broker, action, event_id))
    return event_id


async def _applied(broker, action, event_id):
    inbox = broker.running.runtime.db.tables.inbox
    async with broker.running.runtime.db.sessions() as s:
        return await s.scalar(
            select(inbox.c.event_id).where(
                inbox.c.event_id == event_id, inbox.c.consumer == CONSUMER[action]
            )
        )


async def redeliver(broker, action, message, at, event_id):
    """The inbox row is lost and the event comes again under its id."""
    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            delete(db.tables.inbox).where(db.tables.inbox.c.event_id == event_id)
        )
    await publish(broker, action, message, at, event_id=event_id)


async def stored(broker, rid="r1") -> ResourceRequest:
    async with broker.running.runtime.db.sessions() as s:
        return await s.get(ResourceRequest, rid)


async def units(broker, *orgs):
    for org in orgs:
        r = await broker.http.put(f"/v1/units/{org}", headers=broker.admin, json={"name": org})
        assert r.status_code in (200, 201), r.text


async def change(broker, org="org-a"):
    body = {"items": [{"sku": "ecs.vcpu", "quantity": 8}], "reason": "扩容"}
    return await broker.http.post(
        "/v1/resource-requests/r1/changes", headers=broker.unit(org), json=body
    )


MARK = {"system_id": "sys-1", "rule_id": "K5", "article": "SN P art48"}


async def test_an_unfreeze_that_arrives_before_its_freeze_leaves_the_resource_free(broker):
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    await publish(broker, "unfrozen", acted("unfrozen", "org-a"), T2)
    assert (await stored(broker)).frozen_by is None
    # The freeze it lifted comes last: older than the unfreeze, it changes nothing.
    await publish(broker, "frozen", acted("frozen", "org-a"), T1)
    assert (await stored(broker)).frozen_by is None


async def test_a_late_unfreeze_does_not_lift_a_later_freeze(broker):
    """Freeze #1, unfreeze #1, freeze #2: unfreeze #1 arrives after freeze #2. The system is
    frozen (freeze #2), and a change on its resource is refused (K5) until unfreeze #2."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    await publish(broker, "frozen", acted("frozen", "org-a"), T1)
    await publish(broker, "frozen", acted("frozen", "org-a"), T3)
    await publish(broker, "unfrozen", acted("unfrozen", "org-a"), T2)
    assert (await stored(broker)).frozen_by == MARK
    r = await change(broker)
    assert r.status_code == 422, r.text
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("K5", "SN P art48")]

    await publish(broker, "unfrozen", acted("unfrozen", "org-a"), T4)
    assert (await stored(broker)).frozen_by is None


async def test_a_decommission_before_the_transfer_it_follows_starts_the_exit(broker):
    """The register transfers the system A→B, then decommissions it (the event names B). The
    transfer is retried (B's account is late) while the decommission is applied: nothing of B's
    to exit yet. Once the transfer is applied, the resource's exit starts on B's behalf (K1)."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    await units(broker, "org-a")
    await publish(broker, "transferred", moved("org-a", "org-b"), T1)
    await publish(broker, "decommissioned", acted("decommissioned", "org-b"), T2)
    now = await stored(broker)
    assert (now.org_id, now.status) == ("org-a", "active")

    await units(broker, "org-b")

    async def exiting():
        req = await stored(broker)
        return req if req.status == "exit_requested" else None

    req = await wait_until(exiting, timeout=30)
    assert (req.org_id, req.active_operation) == ("org-b", "exit")
    assert ("K1", "SN P art44") in {(d["rule_id"], d["article"]) for d in req.decisions}
    assert await broker.events("r1") == ["owner_changed", "exit_requested"]


async def test_a_freeze_before_the_transfer_it_follows_marks_the_resource(broker):
    """A→B, then B freezes the system; the freeze is applied first: the resource is marked
    once the transfer is, and B's change on it is refused (K5)."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    await units(broker, "org-a")
    await publish(broker, "transferred", moved("org-a", "org-b"), T1)
    await publish(broker, "frozen", acted("frozen", "org-b"), T2)
    await units(broker, "org-b")

    async def marked():
        req = await stored(broker)
        return req if req.org_id == "org-b" and req.frozen_by else None

    req = await wait_until(marked, timeout=30)
    assert req.frozen_by == MARK
    assert (await change(broker, "org-b")).status_code == 422


async def test_a_redelivered_freeze_changes_nothing(broker):
    """A freeze redelivered after its unfreeze leaves the resource free."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    freeze = acted("frozen", "org-a")
    frozen = await publish(broker, "frozen", freeze, T1)
    await publish(broker, "unfrozen", acted("unfrozen", "org-a"), T2)
    await redeliver(broker, "frozen", freeze, T1, frozen)
    assert (await stored(broker)).frozen_by is None


async def test_a_redelivered_decommission_changes_nothing(broker):
    """A decommission redelivered after the bureau rejected the exit it started starts no
    second one."""
    async with broker.running.runtime.db.unit_of_work() as uow:
        uow.session.add(resource("r1", "org-a"))
    end = acted("decommissioned", "org-a")
    ended = await publish(broker, "decommissioned", end, T3)
    assert (await stored(broker)).status == "exit_requested"
    await broker.step("r1", "reject-exit", broker.admin, reason="系统仍需保留")
    now = await stored(broker)
    assert (now.status, now.active_operation) == ("active", None)
    await redeliver(broker, "decommissioned", end, T3, ended)
    assert (await stored(broker)).status == "active"
    assert await broker.events("r1") == ["exit_requested", "exit_rejected"]
