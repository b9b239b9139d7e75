"""The request state machine (L1-L8, L11 marks, L5 quotas) over REST on real PG and NATS."""

import asyncio
from datetime import UTC, datetime

from cloud_broker.requests import flows as request_flows
from cloud_broker.requests import units


async def test_city_request_to_approved_with_history_events_and_deadline(broker):
    await broker.catalog()
    pid = await broker.approved_project()
    req = await broker.file(pid)
    rid = req["id"]
    assert req["status"] == "submitted"
    assert {d["rule_id"] for d in req["decisions"]} >= {"L2", "L3", "L5", "L11"}

    # An illegal step is a 409 that names the current state.
    r = await broker.http.post(f"/v1/resource-requests/{rid}/approve", headers=broker.admin)
    assert r.status_code == 409 and r.json()["state"] == "submitted"
    assert "submitted" in r.json()["detail"]
    # Who may do what: a unit cannot accept, an admin cannot deploy, another unit sees nothing.
    await broker.step(rid, "accept", broker.unit(), expect=403)
    await broker.step(rid, "accept", broker.unit("org-b"), expect=403)
    r = await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit("org-b"))
    assert r.status_code == 404
    await broker.step(rid, "withdraw", broker.unit("org-b"), expect=404)

    accepted = await broker.step(rid, "accept", broker.admin)
    assert accepted["status"] == "accepted"
    # L4: the approval opinion is due within 2 working days of acceptance (suining).
    r = await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.admin)
    etag = r.headers["etag"]
    # A rejection needs a reason; a missing one names the field and changes nothing.
    r = await broker.http.post(f"/v1/resource-requests/{rid}/reject", headers=broker.admin, json={})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/approve", headers={**broker.admin, "If-Match": etag}
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"

    history = (
        await broker.http.get(f"/v1/resource-requests/{rid}/history", headers=broker.unit())
    ).json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("submit", "draft", "submitted"),
        ("accept", "submitted", "accepted"),
        ("approve", "accepted", "approved"),
    ]
    assert history[1]["actor"] == "admin-1"
    # The accept step shows the L4 due date it set: 2 working days (SN C art11).
    l4 = [d for d in history[1]["decisions"] if d["rule_id"] == "L4"]
    assert len(l4) == 1 and l4[0]["article"] == "SN C art11", history[1]
    assert l4[0]["figures"]["working_days"] == 2 and l4[0]["figures"]["due"], l4
    # One event per transition, committed with it.
    assert await broker.events(rid) == ["submitted", "accepted", "approved"]
    # The approval deadline was met, so nothing is overdue.
    r = await broker.http.get("/v1/deadlines/overdue", headers=broker.admin)
    assert r.json()["items"] == []


async def test_two_admins_approving_at_once_exactly_one_wins(broker):
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.step(rid, "accept", broker.admin)
    # Whether the two overlap (the version check loses one) or not (the state check does),
    # exactly one wins.
    r1, r2 = await asyncio.gather(
        broker.http.post(f"/v1/resource-requests/{rid}/approve", headers=broker.admin),
        broker.http.post(f"/v1/resource-requests/{rid}/approve", headers=broker.admin2),
    )
    assert sorted([r1.status_code, r2.status_code]) == [200, 409], (r1.text, r2.text)
    assert await broker.events(rid) == ["submitted", "accepted", "approved"]
    # A stale If-Match loses too, with the current ETag named.
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/allocate",
        headers={**broker.admin, "If-Match": '"1"'},
        json={"platform_id": "pa"},
    )
    assert r.status_code == 412 and r.json()["current_etag"]


async def test_bad_input_is_a_clear_4xx_and_changes_nothing(broker):
    pid = await broker.approved_project()
    r = await broker.http.post(
        "/v1/resource-requests",
        headers=broker.unit(),
        json={
            "project_id": pid,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": -1}],
            "materials": broker.materials,
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "items.0.quantity"
    r = await broker.http.post(
        "/v1/resource-requests",
        headers=broker.unit(),
        json={
            "project_id": pid,
            "service_mode": "general",
            "items": [{"sku": "no.such", "quantity": 1}],
            "materials": broker.materials,
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "items.0.sku"
    # A SKU offered only in 托管 cannot be asked for in 普通 (L8).
    r = await broker.http.post(
        "/v1/resource-requests",
        headers=broker.unit(),
        json={
            "project_id": pid,
            "service_mode": "general",
            "items": [{"sku": "idc.rack_unit", "quantity": 1}],
            "materials": broker.materials,
        },
    )
    assert r.status_code == 422 and "L8" in r.json()["detail"]
    # L2: missing materials are named; suining adds its three (SN C art11).
    partial = {
        k: v for k, v in broker.materials.items() if k not in ("security", "self_test_report")
    }
    body = await broker.file(pid, expect=422, materials=partial)
    [l2] = [d for d in body["decisions"] if d["rule_id"] == "L2"]
    assert l2["figures"]["missing"] == ["security", "self_test_report"]
    assert l2["article"] == "SN C art11, art12"
    # L5: a migrated system states its past usage.
    body = await broker.file(pid, expect=422, new_system=False, migration_impact="ordinary")
    assert [d["rule_id"] for d in body["decisions"]] == ["L5"]
    await broker.file(
        pid,
        new_system=False,
        migration_impact="ordinary",
        materials={**broker.materials, "past_usage": "doc:usage"},
    )
    r = await broker.http.get("/v1/resource-requests", headers=broker.admin)
    assert len(r.json()["items"]) == 1


async def test_draft_then_submit(broker):
    pid = await broker.approved_project()
    draft = await broker.file(pid, draft=True, materials={})
    assert draft["status"] == "draft"
    r = await broker.http.post(f"/v1/resource-requests/{draft['id']}/submit", headers=broker.unit())
    assert r.status_code == 422 and r.json()["decisions"][0]["rule_id"] == "L2"


async def test_a_unit_id_in_the_path_longer_than_its_column_is_a_422_naming_it(broker):
    """As the body's org ids: at most 64 characters (it was a 500 on PostgreSQL)."""
    long_id = "x" * 65
    unit = {"name": "某局", "level": "city", "jurisdiction": "city"}
    r = await broker.http.put(f"/v1/units/{long_id}", headers=broker.admin, json=unit)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "org_id", r.text
    mark = {"year": 2026, "reason": "拒不整改低利用率资源"}
    r = await broker.http.post(f"/v1/units/{long_id}/l11-marks", headers=broker.admin, json=mark)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "org_id", r.text


async def test_county_request_is_reviewed_by_its_county_first(broker):
    """L3: the city does not accept a county unit's request before the county reviewed it."""
    r = await broker.http.put(
        "/v1/units/org-c",
        headers=broker.admin,
        json={
            "name": "射洪市某局",
            "level": "county",
            "county_authority_org": "county-sh",
            "jurisdiction": "shehong",
        },
    )
    assert r.status_code == 200, r.text
    pid = await broker.approved_project("org-c")
    rid = (await broker.file(pid, org="org-c"))["id"]
    r = await broker.http.post(f"/v1/resource-requests/{rid}/accept", headers=broker.admin)
    assert r.status_code == 422
    [l3] = r.json()["decisions"]
    assert (l3["rule_id"], l3["article"]) == ("L3", "SN C art12")
    # Nor does it reject it first: the county's review is skipped either way.
    body = await broker.step(rid, "reject", broker.admin, expect=422, reason="材料不全")
    assert [(d["rule_id"], d["outcome"]) for d in body["decisions"]] == [("L3", "refuse")]
    other_county = broker.token("cr-2", "county-ch", ["county_reviewer"])
    own_county = broker.token("cr-1", "county-sh", ["county_reviewer"])
    await broker.step(rid, "county-forward", other_county, expect=404)
    listed = (await broker.http.get("/v1/resource-requests", headers=own_county)).json()["items"]
    assert [x["id"] for x in listed] == [rid]
    assert (await broker.http.get("/v1/resource-requests", headers=other_county)).json()[
        "items"
    ] == []
    await broker.step(rid, "county-forward", own_county)
    assert (await broker.step(rid, "accept", broker.admin))["status"] == "accepted"
    # Once the county reviewed it, the bureau may reject a county unit's request too.
    pid_c = await broker.approved_project("org-c")
    rid_c = (await broker.file(pid_c, org="org-c"))["id"]
    await broker.step(rid_c, "county-forward", own_county)
    rejected = await broker.step(rid_c, "reject", broker.admin, reason="材料不全")
    assert rejected["status"] == "rejected"
    # A city unit's request has no county step.
    pid_a = await broker.approved_project()
    rid_a = (await broker.file(pid_a))["id"]
    await broker.step(rid_a, "county-forward", own_county, expect=404)


async def test_dedicated_needs_its_plan_approved(broker):
    """L8: 专享 is approved only after its plan."""
    pid = await broker.approved_project()
    rid = (await broker.file(pid, service_mode="dedicated"))["id"]
    await broker.step(rid, "accept", broker.admin)
    body = await broker.step(rid, "approve", broker.admin, expect=422)
    assert [(d["rule_id"], d["article"]) for d in body["decisions"]] == [("L8", "SN C art7")]
    await broker.step(rid, "plan-approval", broker.unit(), expect=403)
    await broker.step(rid, "plan-approval", broker.admin, reason="方案可行")
    assert (await broker.step(rid, "approve", broker.admin))["status"] == "approved"
    await broker.step(rid, "plan-approval", broker.admin, expect=409)


async def test_marked_unit_gets_new_requests_refused(broker, monkeypatch):
    """L11: a unit marked this year gets new requests refused, citing L11."""
    # Marked and filed on 1 December 2026 (China), whatever today is: the mark is for 2026.
    now = datetime(2026, 12, 1, 2, tzinfo=UTC)
    monkeypatch.setattr(request_flows, "utcnow", lambda: now)
    monkeypatch.setattr(units, "utcnow", lambda: now)
    pid = await broker.approved_project()
    mark = {"year": 2026, "reason": "拒不整改低利用率资源"}
    assert (
        await broker.http.post("/v1/units/org-a/l11-marks", headers=broker.unit(), json=mark)
    ).status_code == 403
    r = await broker.http.post("/v1/units/org-a/l11-marks", headers=broker.admin, json=mark)
    assert r.status_code == 201 and r.json()["decision"]["outcome"] == "flag"
    body = await broker.file(pid, expect=422)
    [l11] = body["decisions"]
    assert (l11["rule_id"], l11["article"]) == ("L11", "SN C art13, art14")
    # Another unit is not affected.
    await broker.file(await broker.approved_project("org-b"), org="org-b")


async def test_a_mark_is_for_the_year_under_way_in_china(broker, monkeypatch):
    """L11 (SN C art14, 本年度): the bureau marks a unit for the year in which it establishes
    the refusal, in China; a past year's mark would refuse nothing, a later year's too much."""
    # 01:00 on 1 January 2027 in China, still 31 December 2026 in UTC.
    monkeypatch.setattr(units, "utcnow", lambda: datetime(2026, 12, 31, 17, tzinfo=UTC))
    for year in (2026, 2028):
        r = await broker.http.post(
            "/v1/units/org-a/l11-marks", headers=broker.admin, json={"year": year, "reason": "x"}
        )
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["field"] == "year" and "L11 (SN C art13, art14)" in error["message"], error
    r = await broker.http.post(
        "/v1/units/org-a/l11-marks", headers=broker.admin, json={"reason": "拒不整改"}
    )
    assert r.status_code == 201 and r.json()["year"] == 2027, r.text
    r = await broker.http.post(
        "/v1/units/org-a/l11-marks", headers=broker.admin, json={"year": 2027, "reason": "x"}
    )
    assert r.status_code == 409, r.text


async def test_quota_counts_approved_not_provisioned(broker):
    """L5: submission, approval and allocation check the unit's quota, counting approved
    requests."""
    await broker.catalog()
    r = await broker.http.put(
        "/v1/quotas",
        headers=broker.admin,
        json={"scope": "unit", "scope_id": "org-a", "sku": "ecs.vcpu", "limit_quantity": 10},
    )
    assert r.status_code == 200
    pid = await broker.approved_project()
    over = await broker.file(pid, expect=422, items=[{"sku": "ecs.vcpu", "quantity": 11}])
    [l5] = over["decisions"]
    assert l5["rule_id"] == "L5" and l5["figures"]["limit"] == 10
    a = (await broker.file(pid, items=[{"sku": "ecs.vcpu", "quantity": 8}]))["id"]
    b = (await broker.file(pid, items=[{"sku": "ecs.vcpu", "quantity": 2}]))["id"]
    c = (await broker.file(pid, items=[{"sku": "ecs.vcpu", "quantity": 4}]))[
        "id"
    ]  # a not yet approved
    await broker.to_approved(a)
    await broker.to_approved(b)
    # a (approved, not provisioned) counts: 8 + 2 = 10 fits.
    r = await broker.http.post(
        f"/v1/resource-requests/{b}/allocate", headers=broker.admin, json={"platform_id": "pa"}
    )
    assert r.status_code == 200 and r.json()["status"] == "allocated"
    # c passed submission before a was approved; at approval 8 + 2 + 4 does not fit.
    await broker.step(c, "accept", broker.admin)
    r = await broker.http.post(f"/v1/resource-requests/{c}/approve", headers=broker.admin)
    assert r.status_code == 422, r.text
    [l5] = [d for d in r.json()["decisions"] if d["rule_id"] == "L5"]
    assert (l5["figures"]["committed"], l5["figures"]["requested"]) == (10, 4)
    # A new request is refused at submission: 10 are committed (c is not).
    body = await broker.file(pid, expect=422, items=[{"sku": "ecs.vcpu", "quantity": 1}])
    assert body["decisions"][0]["figures"]["committed"] == 10
    # A jurisdiction quota covers every unit registered in it.
    await broker.http.put(
        "/v1/quotas",
        headers=broker.admin,
        json={
            "scope": "jurisdiction",
            "scope_id": "city",
            "sku": "evs.storage",
            "limit_quantity": 100,
        },
    )
    await broker.http.put("/v1/units/org-b", headers=broker.admin, json={"name": "B"})
    body = await broker.file(
        await broker.approved_project("org-b"),
        org="org-b",
        expect=422,
        items=[{"sku": "evs.storage", "quantity": 101}],
    )
    assert body["decisions"][0]["figures"]["scope"] == "jurisdiction city"


async def test_overlapping_approvals_lose_on_the_row_version(broker):
    """Both administrators read the accepted request before either writes: the second write
    fails on the row version (409 at the REST edge), and only one event is recorded."""
    import pytest
    from sqlalchemy.orm.exc import StaleDataError

    from cloud_broker.requests import flows
    from govit_kit.auth import Principal, Role

    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.step(rid, "accept", broker.admin)
    rt = broker.running.runtime
    admins = [
        Principal(f"admin-{i}", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN})) for i in (1, 2)
    ]
    first, second = rt.db.unit_of_work(), rt.db.unit_of_work()
    async with first as uow1:
        with pytest.raises(StaleDataError):
            async with second as uow2:
                # Both read it first (held, so each session keeps the version it read).
                held = await uow2.session.get(flows.ResourceRequest, rid)
                assert held.status == "accepted"
                await flows.act(uow=uow1, rt=rt, who=admins[0], request_id=rid, action="approve")
                await uow1.session.commit()
                await flows.act(uow=uow2, rt=rt, who=admins[1], request_id=rid, action="approve")
    assert await broker.events(rid) == ["submitted", "accepted", "approved"]


async def test_pingdingshan_sets_no_l4_deadline_and_has_no_l8(broker_pds):
    """PDS: 8 materials (PDS C art8), no approval deadline (no L4 figure), 专享 without a plan
    rule (L8 does not apply), no L11 mark."""
    from sqlalchemy import func, select

    from cloud_broker.deadlines.models import Deadline

    b = broker_pds
    pid = await b.approved_project()
    r = await b.http.get("/v1/resource-requests/materials", headers=b.unit())
    assert (r.json()["article"], len(r.json()["materials"])) == ("PDS C art8", 8)
    req = await b.file(pid, service_mode="dedicated")
    l2 = [d for d in req["decisions"] if d["rule_id"] == "L2"]
    assert {d["article"] for d in l2} == {"PDS C art8"}
    await b.step(req["id"], "accept", b.admin)
    approved = await b.step(req["id"], "approve", b.admin)
    assert approved["status"] == "approved"
    [l8] = [d for d in approved["decisions"] if d["rule_id"] == "L8"]
    assert (l8["outcome"], l8["article"]) == ("allow", "")
    async with b.running.runtime.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Deadline)) == 0
    r = await b.http.post(
        "/v1/units/org-a/l11-marks", headers=b.admin, json={"year": 2026, "reason": "x"}
    )
    assert r.status_code == 409 and "L11" in r.json()["detail"]
