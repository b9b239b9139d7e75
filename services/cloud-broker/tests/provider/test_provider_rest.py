"""The provider flow over REST: allocation to active, a change, exit to reclaim; the boundary
between providers (L16); OSB semantics (202 + operation, identical repeat, conflicting repeat)."""

import asyncio
import base64
import datetime as dt
import json

from sqlalchemy import select

from govit_kit.policy import SHANGHAI


def last_week() -> str:
    """A day a week ago in Asia/Shanghai: a stop of use the exit applies for in time (L7)."""
    return (dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=7)).isoformat()


def ident(user):
    return "console " + base64.b64encode(json.dumps({"user_id": user}).encode()).decode()


async def allocated(broker, platform="pa", **overrides):
    await broker.catalog()
    pid = await broker.approved_project()
    rid = (await broker.file(pid, **overrides))["id"]
    await broker.to_approved(rid)
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/allocate",
        headers=broker.admin,
        json={"platform_id": platform},
    )
    assert r.status_code == 200, r.text
    return rid


async def test_reclaim_before_the_wipe_is_a_plain_conflict_where_l7_does_not_apply(broker_wh):
    """Wuhai has no cloud regulation (no L7): the broker still wipes before it reclaims, but the
    409 cites no rule and no article."""
    b, h = broker_wh, broker_wh.provider("pa")
    await b.catalog()
    await b.active_resource("r-exit", "org-a")
    r = await b.http.post(
        "/v1/resource-requests/r-exit/exit",
        headers=b.unit(),
        json={"stopped_use_on": last_week(), "reason": "系统下线"},
    )
    assert r.status_code == 200, r.text
    await b.step("r-exit", "approve-exit", b.admin)
    await b.step("r-exit", "confirm-transition", b.unit())
    wipe = await only_order(b)
    assert wipe["kind"] == "deprovision"
    await b.http.post(f"/v1/provider/work-orders/{wipe['id']}/claim", headers=h)
    done = {"resource_ids": ["vm-r-exit"]}
    r = await b.http.post(f"/v1/provider/work-orders/{wipe['id']}/complete", headers=h, json=done)
    assert r.status_code == 409, r.text
    body = r.json()
    assert "attest the data wipe" in body["detail"], body
    assert "L7" not in body["detail"] and "rule_id" not in body, body
    attest = {"resource_ids": ["vm-r-exit"], "method": "purge", "attested_by": "李四"}
    r = await b.http.post(
        f"/v1/provider/work-orders/{wipe['id']}/wipe-attestation", headers=h, json=attest
    )
    assert r.status_code == 202, r.text
    r = await b.http.post(f"/v1/provider/work-orders/{wipe['id']}/complete", headers=h, json=done)
    assert r.status_code == 202, r.text
    req = (await b.http.get("/v1/resource-requests/r-exit", headers=b.unit())).json()
    assert req["status"] == "reclaimed"


async def only_order(broker, platform="pa", status="queued"):
    r = await broker.http.get(
        "/v1/provider/work-orders", headers=broker.provider(platform), params={"status": status}
    )
    assert r.status_code == 200, r.text
    [order] = r.json()["items"]
    return order


async def test_provider_flow_over_rest(broker):
    http, pa, pb = broker.http, broker.provider("pa"), broker.provider("pb")
    rid = await allocated(broker)
    order = await only_order(broker)
    oid = order["id"]
    # L16: what provisioning needs, none of the unit's materials.
    assert order["kind"] == "provision" and order["spec"]["request_id"] == rid
    assert set(order["spec"]) == {"request_id", "service_mode", "items", "resource_ids"}
    assert "materials" not in json.dumps(order) and "doc:" not in json.dumps(order)
    # Another provider sees nothing of it and can touch nothing.
    assert (await http.get("/v1/provider/work-orders", headers=pb)).json()["items"] == []
    assert (await http.get(f"/v1/provider/work-orders/{oid}", headers=pb)).status_code == 404
    assert (await http.post(f"/v1/provider/work-orders/{oid}/claim", headers=pb)).status_code == 404
    # A provider reads no unit's request, and a unit cannot act as a provider.
    assert (await http.get(f"/v1/resource-requests/{rid}", headers=pa)).status_code == 403
    assert (
        await http.post(f"/v1/provider/work-orders/{oid}/claim", headers=broker.unit())
    ).status_code == 403
    # A malformed originating identity is named.
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/claim",
        headers={**pa, "X-Broker-API-Originating-Identity": "junk"},
    )
    assert (
        r.status_code == 422
        and r.json()["errors"][0]["field"] == "X-Broker-API-Originating-Identity"
    )
    # So is one whose JSON holds U+0000 (inside base64, where the REST guard cannot see it):
    # a 422, not a 500, and the order stays queued.
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/claim",
        headers={**pa, "X-Broker-API-Originating-Identity": ident("wang\u0000wu")},
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0] == {
        "field": "X-Broker-API-Originating-Identity",
        "message": "must not contain the NUL character (U+0000)",
    }
    r = await http.get(f"/v1/provider/work-orders/{oid}", headers=pa)
    assert r.json()["status"] == "queued"

    h = {**pa, "X-Broker-API-Originating-Identity": ident("zhang.san")}
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/claim", headers=h, json={"lease_seconds": 60}
    )
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    assert (await http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()[
        "status"
    ] == "provisioning"
    assert (
        await http.post(
            f"/v1/provider/work-orders/{oid}/lease", headers=pa, json={"lease_seconds": 120}
        )
    ).status_code == 200
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/progress", headers=h, json={"percent": 50, "note": "vm up"}
    )
    assert r.json()["progress_percent"] == 50
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/progress", headers=h, json={"percent": 101}
    )
    assert r.status_code == 422

    done = {"resource_ids": ["ecs-001", "evs-001"]}
    r = await http.post(f"/v1/provider/work-orders/{oid}/complete", headers=h, json=done)
    assert r.status_code == 202, r.text
    op = r.json()
    assert r.headers["location"] == f"/v1/provider/operations/{op['id']}"
    assert (await http.get(r.headers["location"], headers=pa)).json()["state"] == "succeeded"
    assert (await http.get(r.headers["location"], headers=pb)).status_code == 404
    # An identical repeat returns the same operation; a conflicting one is a 409.
    again = await http.post(f"/v1/provider/work-orders/{oid}/complete", headers=h, json=done)
    assert again.status_code == 202 and again.json()["id"] == op["id"]
    r = await http.post(
        f"/v1/provider/work-orders/{oid}/complete", headers=h, json={"resource_ids": ["ecs-999"]}
    )
    assert r.status_code == 409

    req = (await http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()
    assert req["status"] == "configured" and req["resource_ids"] == ["ecs-001", "evs-001"]
    await broker.step(rid, "deploy", broker.unit())
    active = await broker.step(rid, "activate", broker.admin)
    assert active["status"] == "active" and active["activated_at"]

    # L6: a change; one operation at a time.
    change_body = {
        "items": [{"sku": "ecs.vcpu", "quantity": 4}, {"sku": "evs.storage", "quantity": 500}],
        "reason": "降配",
    }
    r = await http.post(
        f"/v1/resource-requests/{rid}/changes", headers=broker.unit(), json=change_body
    )
    assert r.status_code == 201, r.text
    change = r.json()
    r = await http.post(
        f"/v1/resource-requests/{rid}/changes", headers=broker.unit(), json=change_body
    )
    assert r.status_code == 409 and r.json()["active_operation"] == "change"
    r = await http.post(
        f"/v1/resource-requests/{rid}/exit",
        headers=broker.unit(),
        json={"stopped_use_on": last_week()},
    )
    assert r.status_code == 409
    r = await http.post(
        f"/v1/changes/{change['id']}/decision", headers=broker.admin, json={"approve": True}
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    modify = await only_order(broker)
    assert modify["kind"] == "modify" and modify["spec"]["resource_ids"] == ["ecs-001", "evs-001"]
    await http.post(f"/v1/provider/work-orders/{modify['id']}/claim", headers=h)
    # The wrong target changes nothing.
    r = await http.post(
        f"/v1/provider/work-orders/{modify['id']}/complete",
        headers=h,
        json={"resource_ids": ["ecs-002"]},
    )
    assert r.status_code == 409
    r = await http.post(f"/v1/provider/work-orders/{modify['id']}/complete", headers=h, json=done)
    assert r.status_code == 202
    req = (await http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()
    assert req["items"][0] == {"sku": "ecs.vcpu", "quantity": 4} and req["active_operation"] is None

    # L7: exit, transition, wipe attestation, reclaim.
    r = await http.post(
        f"/v1/resource-requests/{rid}/exit",
        headers=broker.unit(),
        json={"stopped_use_on": last_week(), "reason": "系统下线"},
    )
    assert r.status_code == 200 and r.json()["status"] == "exit_requested"
    [l7] = [d for d in r.json()["decisions"] if d["rule_id"] == "L7"]
    assert l7["outcome"] == "allow" and l7["article"] == "SN C art16"
    await broker.step(rid, "approve-exit", broker.admin)
    await broker.step(rid, "confirm-transition", broker.unit())
    wipe = await only_order(broker)
    assert wipe["kind"] == "deprovision"
    await http.post(f"/v1/provider/work-orders/{wipe['id']}/claim", headers=h)
    r = await http.post(f"/v1/provider/work-orders/{wipe['id']}/complete", headers=h, json=done)
    assert r.status_code == 409 and "wipe" in r.json()["detail"]
    # L7 cited with the profile's article (SN C art16: 过渡期满后...做好数据清除).
    assert "L7 (SN C art16)" in r.json()["detail"], r.text
    assert (r.json()["rule_id"], r.json()["article"]) == ("L7", "SN C art16"), r.text
    attest = {"resource_ids": ["ecs-001"], "method": "NIST 800-88 purge", "attested_by": "李四"}
    r = await http.post(
        f"/v1/provider/work-orders/{wipe['id']}/wipe-attestation", headers=h, json=attest
    )
    assert r.status_code == 409  # not the whole resource: nothing is attested
    attest["resource_ids"] = ["evs-001", "ecs-001"]
    # L17 (SN C art31): the wipe does not take the operation logs with it: they are kept at
    # least a year after it. No day, or a day short of the year, is a 422 naming the field.
    today = dt.datetime.now(SHANGHAI).date()
    for kept in (None, (today + dt.timedelta(days=300)).isoformat()):
        r = await http.post(
            f"/v1/provider/work-orders/{wipe['id']}/wipe-attestation",
            headers=h,
            json={**attest, "operation_logs_kept_until": kept},
        )
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["field"] == "operation_logs_kept_until"
        assert "L17 (SN C art31)" in error["message"]
    attest["operation_logs_kept_until"] = (today + dt.timedelta(days=400)).isoformat()
    r = await http.post(
        f"/v1/provider/work-orders/{wipe['id']}/wipe-attestation", headers=h, json=attest
    )
    assert r.status_code == 202
    r = await http.post(f"/v1/provider/work-orders/{wipe['id']}/complete", headers=h, json=done)
    assert r.status_code == 202
    req = (await http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()
    assert req["status"] == "reclaimed"

    # Each step left one event; the provider's carry who at its end caused them.
    names = await broker.events(rid)
    assert names == [
        "submitted",
        "accepted",
        "approved",
        "allocated",
        "provisioning_started",
        "configured",
        "deployed",
        "activated",
        "exit_requested",
        "exit_approved",
        "transition_confirmed",
        "reclaimed",
    ]
    from govit.cloud_broker.v1 import events_pb2

    ob = broker.running.runtime.db.tables.outbox
    async with broker.running.runtime.db.sessions() as s:
        rows = (
            await s.execute(
                select(ob.c.payload, ob.c.actor).where(
                    ob.c.event_type.like("%.work_order.completed")
                )
            )
        ).all()
    assert len(rows) == 3
    for payload, actor in rows:
        msg = events_pb2.WorkOrderChanged.FromString(payload)
        assert msg.originating_identity == "console:zhang.san" and actor == "robot-pa"


async def test_failed_provision_is_cleaned_up_and_reallocated(broker):
    rid = await allocated(broker)
    order = await only_order(broker)
    pa = broker.provider("pa")
    r = await broker.http.post(
        f"/v1/provider/work-orders/{order['id']}/fail", headers=pa, json={"reason": "no capacity"}
    )
    assert r.status_code == 409  # not claimed
    await broker.http.post(f"/v1/provider/work-orders/{order['id']}/claim", headers=pa)
    r = await broker.http.post(
        f"/v1/provider/work-orders/{order['id']}/fail", headers=pa, json={"reason": "no capacity"}
    )
    assert r.status_code == 202
    req = (await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.admin)).json()
    assert (req["status"], req["platform_id"], req["active_operation"]) == ("approved", None, None)
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/allocate", headers=broker.admin, json={"platform_id": "pb"}
    )
    assert r.status_code == 200
    assert (await only_order(broker, "pb"))["request_id"] == rid


async def test_expired_lease_returns_the_order_to_the_queue(broker):
    rid = await allocated(broker)
    order = await only_order(broker)
    pa = broker.provider("pa")
    r = await broker.http.post(
        f"/v1/provider/work-orders/{order['id']}/claim", headers=pa, json={"lease_seconds": 1}
    )
    assert r.status_code == 200
    await asyncio.sleep(1.2)
    r = await broker.http.post(f"/v1/provider/work-orders/{order['id']}/lease", headers=pa)
    assert r.status_code == 409

    async def requeued():
        r = await broker.http.get(f"/v1/provider/work-orders/{order['id']}", headers=pa)
        return r.json()["status"] == "queued"

    from govit_kit.testing import wait_until

    await wait_until(requeued)
    req = (await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.admin)).json()
    assert req["status"] == "allocated"
    r = await broker.http.post(f"/v1/provider/work-orders/{order['id']}/claim", headers=pa)
    assert r.status_code == 200 and r.json()["status"] == "claimed"


async def test_a_provision_cannot_claim_an_id_another_resource_holds(broker):
    """Two resources holding one id would let one's exit wipe the other's data (L7, L16): the
    completion naming an id already on the platform's books is a 409 and changes nothing."""
    rid = await allocated(broker)
    r = await broker.http.put("/v1/units/org-a", headers=broker.admin, json={"name": "A"})
    assert r.status_code == 200, r.text
    held = {
        "org_id": "org-a",
        "project_id": "p-legacy",
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 2}],
        "platform_id": "pa",
        "resource_ids": ["ecs-legacy-1"],
        "in_use_since": "2026-03-01",
        "reason": "存量",
    }
    r = await broker.http.post("/v1/resource-requests/existing", headers=broker.admin, json=held)
    assert r.status_code == 201, r.text
    holder = r.json()["id"]
    pa = broker.provider("pa")
    oid = (await only_order(broker))["id"]
    assert (
        await broker.http.post(f"/v1/provider/work-orders/{oid}/claim", headers=pa)
    ).status_code == 200

    clash = {"resource_ids": ["ecs-new-1", "ecs-legacy-1"]}
    r = await broker.http.post(f"/v1/provider/work-orders/{oid}/complete", headers=pa, json=clash)
    assert r.status_code == 409, r.text
    assert r.json()["field"] == "resource_ids.1" and r.json()["request_id"] == holder, r.text
    req = (await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())).json()
    assert (req["status"], req["resource_ids"]) == ("provisioning", [])
    assert (await only_order(broker, status="claimed"))["id"] == oid

    r = await broker.http.post(
        f"/v1/provider/work-orders/{oid}/complete", headers=pa, json={"resource_ids": ["ecs-new-1"]}
    )
    assert r.status_code == 202, r.text


async def test_a_blank_unit_name_is_a_422_and_no_account(broker):
    """A unit's cloud account needs a name: blanks are none (422 naming `name`, nothing kept)."""
    r = await broker.http.put("/v1/units/org-blank", headers=broker.admin, json={"name": "   "})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name", r.text
    units = (await broker.http.get("/v1/units", headers=broker.admin)).json()
    assert "org-blank" not in {u["org_id"] for u in units}
