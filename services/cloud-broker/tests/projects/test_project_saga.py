"""Review suspends (F4), lifts or terminates (F5) the project a new system's requests stand on
(L2, SN C art12); the broker's requests follow, each by the state it is in (the saga).

Review's events are published on the stream as review's relay would (`govit.review.case.*`,
`CaseStateChanged`), backdated where the test needs review's time; intake, beside the broker,
takes the termination too. The broker runs on real PostgreSQL and NATS. An event has been
applied once the broker's inbox holds it; a redelivery is the event published again under its
id after its inbox row was lost (a replayed dead letter).
"""

import asyncio
import datetime as dt

import grpc
import pytest
from sqlalchemy import delete, func, select

from cloud_broker.deadlines.models import Deadline
from cloud_broker.projects.models import ProjectStanding
from govit.cloud_broker.v1 import provider_service_pb2 as ppb
from govit.cloud_broker.v1 import provider_service_pb2_grpc as ppb_grpc
from govit.review.v1 import events_pb2 as review_events
from govit_kit.convert import to_timestamp
from govit_kit.db import new_id, utcnow
from govit_kit.policy import SHANGHAI
from govit_kit.testing import publish_event, wait_until

CONSUMER = {
    "terminated": "review-case-terminated",
    "suspended": "review-case-suspended",
    "suspension_lifted": "review-case-suspension-lifted",
}
SN_F4 = SN_F5 = "SN P art31"


def md(headers: dict) -> list[tuple[str, str]]:
    return [("authorization", headers["authorization"])]


async def review_says(b, name, pid, at=None, event_id=None, org="org-a") -> str:
    """Publish review's word on the project (suspended, suspension_lifted, terminated), as of
    `at`; return the event's id once the broker applied it."""
    at = at or utcnow()
    status = {"suspended": "suspended", "suspension_lifted": "concluded"}.get(name, name)
    event_id = await publish_event(
        b.space,
        "review",
        "case",
        name,
        review_events.CaseStateChanged(
            case_id=f"c-{pid}",
            project_id=pid,
            org_id=org,
            status=status,
            previous_status="concluded",
            reason="整改不到位" if name != "suspension_lifted" else "已整改",
            changed_at=to_timestamp(at),
        ),
        subject=f"c-{pid}",
        org_id=org,
        project_id=pid,
        event_id=event_id,
        msg_id=new_id(),
        event_time=at.astimezone(dt.UTC),
    )
    await wait_until(lambda: _applied(b, name, event_id))
    return event_id


async def _applied(b, name, event_id):
    inbox = b.running.runtime.db.tables.inbox
    async with b.running.runtime.db.sessions() as s:
        return await s.scalar(
            select(inbox.c.event_id).where(
                inbox.c.event_id == event_id, inbox.c.consumer == CONSUMER[name]
            )
        )


async def redeliver(b, name, pid, at, event_id) -> None:
    """The inbox row is lost and the event comes again under its id."""
    db = b.running.runtime.db
    async with db.unit_of_work() as uow:
        await uow.session.execute(
            delete(db.tables.inbox).where(db.tables.inbox.c.event_id == event_id)
        )
    await review_says(b, name, pid, at, event_id=event_id)


async def outbox_size(b) -> int:
    ob = b.running.runtime.db.tables.outbox
    async with b.running.runtime.db.sessions() as s:
        return await s.scalar(select(func.count()).select_from(ob))


async def deadlines_of(b, rid) -> list[Deadline]:
    async with b.running.runtime.db.sessions() as s:
        return list(await s.scalars(select(Deadline).where(Deadline.subject_id == rid)))


async def get(b, rid) -> dict:
    r = await b.http.get(f"/v1/resource-requests/{rid}", headers=b.admin)
    assert r.status_code == 200, r.text
    return r.json()


async def history(b, rid) -> list[dict]:
    r = await b.http.get(f"/v1/resource-requests/{rid}/history", headers=b.admin)
    assert r.status_code == 200, r.text
    return r.json()


async def allocate(b, rid, platform="pa", expect=200) -> dict:
    r = await b.http.post(
        f"/v1/resource-requests/{rid}/allocate", headers=b.admin, json={"platform_id": platform}
    )
    assert r.status_code == expect, r.text
    return r.json()


async def order_of(b, rid, platform="pa") -> dict:
    r = await b.http.get("/v1/provider/work-orders", headers=b.provider(platform))
    [order] = [o for o in r.json()["items"] if o["request_id"] == rid]
    return order


async def claimed(b, rid, lease_seconds=300) -> dict:
    """The request approved, allocated to "pa" and its order claimed by the provider."""
    await b.to_approved(rid)
    await allocate(b, rid)
    order = await order_of(b, rid)
    r = await b.http.post(
        f"/v1/provider/work-orders/{order['id']}/claim",
        headers=b.provider(),
        json={"lease_seconds": lease_seconds},
    )
    assert r.status_code == 200, r.text
    return r.json()


async def configured(b, rid) -> None:
    order = await claimed(b, rid)
    r = await b.http.post(
        f"/v1/provider/work-orders/{order['id']}/complete",
        headers=b.provider(),
        json={"resource_ids": [f"vm-{rid}"]},
    )
    assert r.status_code == 202, r.text


def f5_ground(row: dict) -> dict:
    [f5] = [d for d in row["decisions"] if d["rule_id"] == "F5"]
    assert (f5["article"], f5["outcome"]) == (SN_F5, "allow"), f5
    return f5


def refused_by(r, rule_id, article) -> dict:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"] == "/problems/rule-refused", body
    [d] = [d for d in body["decisions"] if d["outcome"] == "refuse"]
    assert (d["rule_id"], d["article"]) == (rule_id, article), d
    return d


async def test_a_termination_withdraws_what_is_not_provisioned_once(broker):
    """Draft, submitted, accepted, approved, allocated: each withdrawn by the platform citing F5
    (SN P art31); the allocated one's queued order cancelled; the bureau's approval deadline
    closed. A redelivered termination changes nothing."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    draft = (await b.file(pid, draft=True))["id"]
    submitted = (await b.file(pid))["id"]
    accepted = (await b.file(pid))["id"]
    await b.step(accepted, "accept", b.admin)
    approved = (await b.file(pid))["id"]
    await b.to_approved(approved)
    allocated = (await b.file(pid))["id"]
    await b.to_approved(allocated)
    await allocate(b, allocated)
    order = await order_of(b, allocated)
    other = await b.approved_project()  # another project of the unit: left alone
    untouched = (await b.file(other))["id"]

    at = dt.datetime.now(SHANGHAI) - dt.timedelta(hours=1)
    event_id = await review_says(b, "terminated", pid, at)

    for rid in (draft, submitted, accepted, approved, allocated):
        req = await get(b, rid)
        assert req["status"] == "withdrawn", (rid, req["status"])
        assert req["active_operation"] is None
        last = (await history(b, rid))[-1]
        assert (last["action"], last["to_status"], last["actor"]) == (
            "platform_withdraw",
            "withdrawn",
            "service:cloud_broker",
        ), last
        assert f"F5 ({SN_F5})" in last["reason"], last
        assert f5_ground(last)["figures"]["project_id"] == pid
        assert (await b.events(rid))[-1] == "withdrawn"
    assert (await get(b, untouched))["status"] == "submitted"

    # The queued order is off: not listed as queued, not claimable, told as cancelled.
    pa = b.provider()
    r = await b.http.get(f"/v1/provider/work-orders/{order['id']}", headers=pa)
    assert r.json()["status"] == "cancelled", r.json()
    r = await b.http.get("/v1/provider/work-orders", headers=pa, params={"status": "queued"})
    assert r.json()["items"] == []
    r = await b.http.post(f"/v1/provider/work-orders/{order['id']}/claim", headers=pa)
    assert r.status_code == 409 and r.json()["state"] == "cancelled", r.text
    assert (await b.events(order["id"]))[-1] == "cancelled"
    # The bureau owes no approval opinion on a withdrawn request (L4).
    [d] = await deadlines_of(b, accepted)
    assert d.kind == "approval" and d.met_at is not None

    # Redelivered: nothing changes, no event is written.
    before = await outbox_size(b)
    histories = [len(await history(b, rid)) for rid in (draft, allocated)]
    await redeliver(b, "terminated", pid, at, event_id)
    assert await outbox_size(b) == before
    assert [len(await history(b, rid)) for rid in (draft, allocated)] == histories


async def test_the_quota_a_withdrawn_request_held_is_free_for_the_next(broker):
    """L5 counts approved-not-yet-provisioned: the terminated project's approved request held
    the unit's whole quota; withdrawn, it leaves the committed and the next request fits."""
    b = broker
    await b.catalog()
    r = await b.http.put(
        "/v1/quotas",
        headers=b.admin,
        json={"scope": "unit", "scope_id": "org-a", "sku": "ecs.vcpu", "limit_quantity": 8},
    )
    assert r.status_code == 200, r.text
    pid = await b.approved_project()
    held = (await b.file(pid))["id"]
    await b.to_approved(held)
    nxt = await b.approved_project()
    refused = await b.http.post(
        "/v1/resource-requests",
        headers=b.unit(),
        json={
            "project_id": nxt,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 8}],
            "materials": b.materials,
        },
    )
    refused_by(refused, "L5", "SN C art13")

    await review_says(b, "terminated", pid)
    assert (await get(b, held))["status"] == "withdrawn"
    filed = await b.file(nxt, items=[{"sku": "ecs.vcpu", "quantity": 8}])
    assert filed["status"] == "submitted"
    await b.to_approved(filed["id"])  # and approved within the quota


async def test_a_provider_holding_the_order_cleans_up_before_the_request_is_withdrawn(broker):
    """Provisioning: the order is cancelling; the provider may renew its lease but neither
    report progress nor complete (nothing goes on the books); its `fail` reports the clean-up,
    as after a failed provision, and only then is the request withdrawn."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    rid = (await b.file(pid))["id"]
    order = await claimed(b, rid)
    oid, pa = order["id"], b.provider()
    assert (await get(b, rid))["status"] == "provisioning"

    await review_says(b, "terminated", pid)
    r = await b.http.get(f"/v1/provider/work-orders/{oid}", headers=pa)
    assert r.json()["status"] == "cancelling", r.json()
    assert (await b.events(oid))[-1] == "cancel_requested"
    req = await get(b, rid)
    assert req["status"] == "provisioning"  # the provider may hold resources: still committed
    note = (await history(b, rid))[-1]
    assert (note["action"], note["from_status"], note["to_status"]) == (
        "project_terminated",
        "provisioning",
        "provisioning",
    )
    f5_ground(note)

    done = {"resource_ids": ["vm-late"]}
    r = await b.http.post(f"/v1/provider/work-orders/{oid}/complete", headers=pa, json=done)
    assert r.status_code == 409 and r.json()["state"] == "cancelling", r.text
    assert "remove what was created" in r.json()["detail"]
    r = await b.http.post(
        f"/v1/provider/work-orders/{oid}/progress", headers=pa, json={"percent": 90}
    )
    assert r.status_code == 409, r.text
    r = await b.http.post(f"/v1/provider/work-orders/{oid}/lease", headers=pa)
    assert r.status_code == 200 and r.json()["status"] == "cancelling", r.text
    assert (await get(b, rid))["status"] == "provisioning"

    r = await b.http.post(
        f"/v1/provider/work-orders/{oid}/fail", headers=pa, json={"reason": "已删除半成品云主机"}
    )
    assert r.status_code == 202, r.text
    op = r.json()
    r = await b.http.get(f"/v1/provider/work-orders/{oid}", headers=pa)
    assert r.json()["status"] == "cancelled"
    req = await get(b, rid)
    assert req["status"] == "withdrawn" and req["resource_ids"] == []
    last = (await history(b, rid))[-1]
    assert (last["action"], last["from_status"]) == ("platform_withdraw", "provisioning")
    assert "已删除半成品云主机" in last["reason"]
    f5_ground(last)
    assert (await b.events(oid))[-1] == "cancelled"
    # The same report again answers the same operation; the request stays withdrawn.
    again = await b.http.post(
        f"/v1/provider/work-orders/{oid}/fail", headers=pa, json={"reason": "已删除半成品云主机"}
    )
    assert again.status_code == 202 and again.json()["id"] == op["id"], again.text
    assert (await get(b, rid))["status"] == "withdrawn"


async def test_a_lease_running_out_on_a_cancelled_order_withdraws_the_request(broker):
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    rid = (await b.file(pid))["id"]
    order = await claimed(b, rid, lease_seconds=2)
    await review_says(b, "terminated", pid)

    async def withdrawn():
        return (await get(b, rid))["status"] == "withdrawn"

    await wait_until(withdrawn, timeout=15)
    r = await b.http.get(f"/v1/provider/work-orders/{order['id']}", headers=b.provider())
    assert r.json()["status"] == "cancelled"


async def test_the_provider_no_longer_sees_a_cancelled_order_on_its_stream(broker):
    """An open stream is told the order is cancelled; a stream opened after receives nothing
    of it (L16 as ever: another platform's stream gets neither)."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    rid = (await b.file(pid))["id"]
    await b.to_approved(rid)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{b.grpc_port}") as channel:
        stub = ppb_grpc.ProviderServiceStub(channel)
        watch = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=md(b.provider()))
        other = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=md(b.provider("pb")))
        await asyncio.sleep(0.5)
        await allocate(b, rid)
        queued = (await asyncio.wait_for(watch.read(), 5)).work_order
        assert (queued.request_id, queued.status) == (rid, "queued")

        await review_says(b, "terminated", pid)
        told = (await asyncio.wait_for(watch.read(), 5)).work_order
        assert (told.order_id, told.status) == (queued.order_id, "cancelled")

        fresh = stub.WatchWorkOrders(ppb.WatchWorkOrdersRequest(), metadata=md(b.provider()))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(fresh.read(), 1.5)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(other.read(), 0.5)
        listed = await stub.ListWorkOrders(
            ppb.ListWorkOrdersRequest(status="queued"), metadata=md(b.provider())
        )
        assert list(listed.work_orders) == []
        for call in (watch, other, fresh):
            call.cancel()


async def test_resources_in_use_owe_their_exit_within_l7s_month(broker):
    """Configured, deployed, active: not torn down; each owes the exit application within L7's
    month of the termination (SN C art16), citing F5; passed, the scheduler raises it and the
    overdue list shows it. A configured one is not deployed any more (its deployment deadline
    closed) and may exit from where it stands; a rejected exit returns it there."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    conf, dep, act = [(await b.file(pid))["id"] for _ in range(3)]
    for rid in (conf, dep, act):
        await configured(b, rid)
    await b.step(dep, "deploy", b.unit())
    await b.step(act, "deploy", b.unit())
    await b.step(act, "activate", b.admin)

    # Before the termination only an active resource exits.
    body = {"stopped_use_on": dt.datetime.now(SHANGHAI).date().isoformat(), "reason": "项目终止"}
    r = await b.http.post(f"/v1/resource-requests/{conf}/exit", headers=b.unit(), json=body)
    assert r.status_code == 409 and r.json()["state"] == "configured", r.text

    # Review terminated the project 40 days ago: the month to apply has passed.
    at = dt.datetime.now(SHANGHAI) - dt.timedelta(days=40)
    event_id = await review_says(b, "terminated", pid, at)
    for rid, status in ((conf, "configured"), (dep, "deployed"), (act, "active")):
        assert (await get(b, rid))["status"] == status
        note = (await history(b, rid))[-1]
        assert (note["action"], note["to_status"]) == ("project_terminated", status), note
        f5_ground(note)
        [l7] = [d for d in note["decisions"] if d["rule_id"] == "L7"]
        assert (l7["outcome"], l7["article"]) == ("deadline", "SN C art16"), l7
        assert "project_terminated" in await b.events(rid)

    async def raised():
        r = await b.http.get("/v1/deadlines/overdue", headers=b.unit())
        owed = [d for d in r.json()["items"] if d["kind"] == "exit_application"]
        return owed if len(owed) == 3 and all(d["passed_at"] for d in owed) else None

    owed = await wait_until(raised)
    assert {d["subject_id"] for d in owed} == {conf, dep, act}
    for d in owed:
        assert (d["rule_id"], d["article"], d["party"]) == ("L7", "SN C art16", "unit")
        assert f"F5 ({SN_F5})" in d["reason"], d
        due = dt.datetime.fromisoformat(d["due_at"]).astimezone(SHANGHAI).date()
        assert 28 <= (due - at.date()).days <= 40, (due, at)  # a month, off a rest day
    # The configured one will not be deployed: its deployment deadline (L4) is closed.
    [deploy] = [d for d in await deadlines_of(b, conf) if d.kind == "deployment"]
    assert deploy.met_at is not None and deploy.passed_at is None

    # Redelivered: no second due date, no second note.
    before = await outbox_size(b)
    await redeliver(b, "terminated", pid, at, event_id)
    assert await outbox_size(b) == before

    # The configured resource exits from where it stands; rejected, it returns there.
    r = await b.http.post(f"/v1/resource-requests/{conf}/exit", headers=b.unit(), json=body)
    assert r.status_code == 200 and r.json()["status"] == "exit_requested", r.text
    r = await b.http.get("/v1/deadlines/overdue", headers=b.unit())
    assert conf not in {d["subject_id"] for d in r.json()["items"]}  # met (late: raised)
    await b.step(conf, "reject-exit", b.admin, reason="资源转作他用")
    assert (await get(b, conf))["status"] == "configured"


async def test_a_suspension_holds_submission_approval_and_allocation_until_lifted(broker):
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    accepted = (await b.file(pid))["id"]
    await b.step(accepted, "accept", b.admin)
    approved = (await b.file(pid))["id"]
    await b.to_approved(approved)
    draft = (await b.file(pid, draft=True))["id"]

    await review_says(b, "suspended", pid)
    r = await b.http.post(f"/v1/resource-requests/{accepted}/approve", headers=b.admin)
    refused_by(r, "F4", SN_F4)
    r = await b.http.post(
        f"/v1/resource-requests/{approved}/allocate", headers=b.admin, json={"platform_id": "pa"}
    )
    refused_by(r, "F4", SN_F4)
    r = await b.http.post(
        "/v1/resource-requests",
        headers=b.unit(),
        json={
            "project_id": pid,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 2}],
            "materials": b.materials,
        },
    )
    refused_by(r, "F4", SN_F4)
    r = await b.http.post(f"/v1/resource-requests/{draft}/submit", headers=b.unit())
    refused_by(r, "F4", SN_F4)
    assert (await get(b, accepted))["status"] == "accepted"  # nothing is changed meanwhile

    await review_says(b, "suspension_lifted", pid)
    await b.step(accepted, "approve", b.admin)
    await allocate(b, approved)
    await b.http.post(f"/v1/resource-requests/{draft}/submit", headers=b.unit())
    assert (await get(b, draft))["status"] == "submitted"
    await b.file(pid)


async def test_review_s_words_on_a_suspension_stand_in_review_s_order(broker):
    """The lift overtakes the suspension it lifts: the late suspension changes nothing. A later
    suspension holds again; the first one redelivered changes nothing either."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    rid = (await b.file(pid))["id"]
    await b.step(rid, "accept", b.admin)
    t1, t2, t3 = (dt.datetime.now(SHANGHAI) - dt.timedelta(hours=h) for h in (3, 2, 1))

    await review_says(b, "suspension_lifted", pid, t2)
    first = await review_says(b, "suspended", pid, t1)  # older than the lift: it stands lifted
    async with b.running.runtime.db.sessions() as s:
        row = await s.get(ProjectStanding, pid)
        assert row.suspended is False and row.suspension_changed_at == t2.astimezone(dt.UTC)

    await review_says(b, "suspended", pid, t3)
    r = await b.http.post(f"/v1/resource-requests/{rid}/approve", headers=b.admin)
    refused_by(r, "F4", SN_F4)
    await redeliver(b, "suspended", pid, t1, first)
    async with b.running.runtime.db.sessions() as s:
        row = await s.get(ProjectStanding, pid)
        assert row.suspended is True and row.suspension_changed_at == t3.astimezone(dt.UTC)
    # A lift older than the suspension that stands changes nothing.
    await review_says(b, "suspension_lifted", pid, t2 + dt.timedelta(minutes=1))
    r = await b.http.post(f"/v1/resource-requests/{rid}/approve", headers=b.admin)
    refused_by(r, "F4", SN_F4)


async def test_steps_that_raced_the_termination_consult_what_the_broker_holds(broker):
    """A request intake approved the project for, filed, approved or allocated while the
    termination was being applied: the step reads the broker's projection (no call to intake)
    and is refused citing F5, as a step of a request the termination did not reach."""
    b = broker
    await b.catalog()
    pid = await b.approved_project()
    accepted = (await b.file(pid))["id"]
    await b.step(accepted, "accept", b.admin)
    approved = (await b.file(pid))["id"]
    await b.to_approved(approved)
    # The projection holds the termination, its compensation not run (intake still says
    # approved): what a step racing the consumer sees.
    async with b.running.runtime.db.unit_of_work() as uow:
        uow.session.add(
            ProjectStanding(
                project_id=pid,
                org_id="org-a",
                suspended=False,
                terminated_at=utcnow(),
                termination_event_id=new_id(),
            )
        )
    refused_by(
        await b.http.post(f"/v1/resource-requests/{accepted}/approve", headers=b.admin),
        "F5",
        SN_F5,
    )
    refused_by(
        await b.http.post(
            f"/v1/resource-requests/{approved}/allocate",
            headers=b.admin,
            json={"platform_id": "pa"},
        ),
        "F5",
        SN_F5,
    )
    for draft in (False, True):
        r = await b.http.post(
            "/v1/resource-requests",
            headers=b.unit(),
            json={
                "project_id": pid,
                "service_mode": "general",
                "items": [{"sku": "ecs.vcpu", "quantity": 2}],
                "materials": b.materials,
                "draft": draft,
            },
        )
        refused_by(r, "F5", SN_F5)


async def test_where_the_profile_has_no_f5_the_platform_gives_the_plain_reason(broker_wh):
    """Wuhai has neither F5 nor a cloud regulation: the termination still withdraws what is
    not provisioned, with the plain reason and no decision; what is in use owes no L7 date."""
    b = broker_wh
    await b.catalog()
    pid = await b.approved_project()
    rid = (await b.file(pid))["id"]
    await b.step(rid, "accept", b.admin)
    await review_says(b, "terminated", pid)
    req = await get(b, rid)
    assert req["status"] == "withdrawn"
    last = (await history(b, rid))[-1]
    assert last["action"] == "platform_withdraw" and last["decisions"] == []
    assert last["reason"].startswith(f"the project {pid} was terminated on "), last
    assert "F5" not in last["reason"]

    # A step the termination did not reach (the race) is a plain 409, citing no rule.
    other = await b.approved_project()
    rid = (await b.file(other))["id"]
    await b.step(rid, "accept", b.admin)
    async with b.running.runtime.db.unit_of_work() as uow:
        uow.session.add(
            ProjectStanding(
                project_id=other, org_id="org-a", suspended=False, terminated_at=utcnow()
            )
        )
    r = await b.http.post(f"/v1/resource-requests/{rid}/approve", headers=b.admin)
    assert r.status_code == 409 and r.json()["state"] == "accepted", r.text
    assert "was terminated" in r.json()["detail"] and "rule_id" not in r.json(), r.text
