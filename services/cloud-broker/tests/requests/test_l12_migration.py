"""L12 (SN C art12): an existing system's migration is ordinary (the bureau and the affected
units are told in advance) or important (its plan, 迁移实施方案, approved by the bureau); either
comes before the migration is carried out, i.e. before the unit deploys its system onto the
configured resources. Where L12 does not apply (pingdingshan) nothing changes."""

import base64
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from govit.cloud_broker.v1 import events_pb2


def identity(user: str) -> str:
    """An OSB originating identity header value."""
    return "console " + base64.b64encode(json.dumps({"user_id": user}).encode()).decode()


def _body(impact, **overrides) -> dict:
    from cloud_broker.requests.rules import BASE_MATERIALS, SN_MATERIALS

    materials = {name: f"doc:{name}" for name in {**BASE_MATERIALS, **SN_MATERIALS}}
    body = {
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 4}],
        "materials": {**materials, "past_usage": "doc:past-usage"},
        "new_system": False,
        "migration_impact": impact,
        **overrides,
    }
    return {k: v for k, v in body.items() if v is not None}


async def migrated(broker, impact, org="org-a", expect=201, **overrides) -> dict:
    """File (submit) an existing system's request of the unit."""
    r = await broker.http.post(
        "/v1/resource-requests", headers=broker.unit(org), json=_body(impact, **overrides)
    )
    assert r.status_code == expect, r.text
    return r.json()


async def to_configured(broker, rid, platform="pa") -> None:
    """Approve, allocate and have the provider configure the resources."""
    await broker.to_approved(rid)
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/allocate",
        headers=broker.admin,
        json={"platform_id": platform},
    )
    assert r.status_code == 200, r.text
    r = await broker.http.get(
        "/v1/provider/work-orders", headers=broker.provider(platform), params={"status": "queued"}
    )
    [order] = [o for o in r.json()["items"] if o["spec"]["request_id"] == rid]
    h = {**broker.provider(platform), "X-Broker-API-Originating-Identity": identity("zhang.san")}
    r = await broker.http.post(f"/v1/provider/work-orders/{order['id']}/claim", headers=h)
    assert r.status_code == 200, r.text
    r = await broker.http.post(
        f"/v1/provider/work-orders/{order['id']}/complete",
        headers=h,
        json={"resource_ids": [f"ecs-{rid[:8]}"]},
    )
    assert r.status_code == 202, r.text
    got = await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())
    assert got.json()["status"] == "configured", got.text


async def get(broker, rid, headers=None) -> dict:
    r = await broker.http.get(f"/v1/resource-requests/{rid}", headers=headers or broker.unit())
    assert r.status_code == 200, r.text
    return r.json()


async def migration_payloads(broker, rid) -> list[events_pb2.ResourceRequestMigration]:
    """The L12 events of a request, decoded, in order."""
    ob = broker.running.runtime.db.tables.outbox
    async with broker.running.runtime.db.sessions() as s:
        rows = await s.execute(
            select(ob.c.payload)
            .where(ob.c.subject == rid, ob.c.event_type.like("%.resource_request.migration_%"))
            .order_by(ob.c.seq)
        )
        return [events_pb2.ResourceRequestMigration.FromString(r[0]) for r in rows]


def l12(decisions) -> list[tuple[str, str, str]]:
    return [(d["rule_id"], d["article"], d["outcome"]) for d in decisions if d["rule_id"] == "L12"]


async def test_a_missing_or_unknown_impact_is_a_422_citing_l12(broker):
    for impact in (None, "huge"):
        for draft in (False, True):
            r = await broker.http.post(
                "/v1/resource-requests", headers=broker.unit(), json=_body(impact, draft=draft)
            )
            assert r.status_code == 422, r.text
            problem = r.json()
            assert problem["errors"][0]["field"] == "migration_impact", problem
            assert "L12 (SN C art12)" in problem["detail"], problem
            assert l12(problem["decisions"]) == [("L12", "SN C art12", "refuse")]
    # A new system is no migration: an impact means nothing there.
    r = await broker.http.post(
        "/v1/resource-requests",
        headers=broker.unit(),
        json=_body("ordinary", new_system=True, project_id=await broker.approved_project()),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "migration_impact", r.text
    # Nothing was recorded.
    r = await broker.http.get("/v1/resource-requests", headers=broker.admin)
    assert r.json()["items"] == []

    # Declared, it is recorded, and the submission shows the duty it carries.
    req = await migrated(broker, "important")
    assert (req["migration_impact"], req["migration_plan_status"]) == ("important", None)
    [d] = [d for d in req["decisions"] if d["rule_id"] == "L12"]
    assert d["outcome"] == "allow" and "plan" in d["reason"]


async def test_an_important_migration_is_deployed_only_after_its_plan_is_approved(broker):
    await broker.catalog()
    rid = (await migrated(broker, "important"))["id"]
    await to_configured(broker, rid)

    # No plan: deploying (carrying out the migration) is refused, citing L12; nothing moves.
    body = await broker.step(rid, "deploy", broker.unit(), expect=422)
    assert l12(body["decisions"]) == [("L12", "SN C art12", "refuse")]
    assert "no migration plan" in body["detail"]
    assert (await get(broker, rid))["status"] == "configured"
    # The bureau has nothing to decide yet; an ordinary migration's notice is not this one's.
    await broker.step(rid, "migration-plan/decision", broker.admin, expect=409, approve=True)
    start = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    await broker.step(
        rid,
        "migration-notice",
        broker.unit(),
        expect=409,
        affected_org_ids=["org-b"],
        planned_start=start,
    )

    # Submitted: still not deployable. Only the unit submits it, only the bureau decides.
    await broker.step(rid, "migration-plan", broker.admin, expect=403, document="doc:plan-v1")
    req = await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v1")
    assert req["migration_plan_status"] == "submitted"
    assert req["materials"]["migration_plan"] == "doc:plan-v1"
    assert req["status"] == "configured"
    body = await broker.step(rid, "deploy", broker.unit(), expect=422)
    assert "not yet approved" in body["detail"]
    await broker.step(rid, "migration-plan/decision", broker.unit(), expect=403, approve=True)

    # Refused: a reason is required and shown to the unit; the migration stays blocked.
    r = await broker.step(rid, "migration-plan/decision", broker.admin, expect=422, approve=False)
    assert r["errors"][0]["field"] == "reason"
    await broker.step(
        rid, "migration-plan/decision", broker.admin, approve=False, reason="回退方案不完整"
    )
    req = await get(broker, rid)
    assert (req["migration_plan_status"], req["migration_plan_reason"]) == (
        "refused",
        "回退方案不完整",
    )
    assert req["migration_plan_decided_by"] == "admin-1"
    body = await broker.step(rid, "deploy", broker.unit(), expect=422)
    assert "refused" in body["detail"]

    # A revised plan, approved by the bureau: now the migration is carried out.
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan-v2")
    req = await broker.step(
        rid, "migration-plan/decision", broker.admin2, approve=True, reason="可行"
    )
    assert (req["migration_plan_status"], req["migration_plan_decided_by"]) == (
        "approved",
        "admin-2",
    )
    assert req["materials"]["migration_plan"] == "doc:plan-v2"
    await broker.step(rid, "migration-plan", broker.unit(), expect=409, document="doc:plan-v3")
    await broker.step(rid, "migration-plan/decision", broker.admin, expect=409, approve=True)
    deployed = await broker.step(rid, "deploy", broker.unit())
    assert deployed["status"] == "deployed"
    assert l12(deployed["decisions"])[-1] == ("L12", "SN C art12", "allow")
    # After the migration, no plan comes any more.
    await broker.step(rid, "migration-plan", broker.unit(), expect=409, document="doc:plan-v4")

    # Each act is one event, in order, and one row of the request's history.
    names = [n for n in await broker.events(rid) if n.startswith("migration_") or n == "deployed"]
    assert names == [
        "migration_plan_submitted",
        "migration_plan_refused",
        "migration_plan_submitted",
        "migration_plan_approved",
        "deployed",
    ]
    payloads = await migration_payloads(broker, rid)
    assert [(p.act, p.plan_document, p.reason) for p in payloads] == [
        ("plan_submitted", "doc:plan-v1", ""),
        ("plan_refused", "doc:plan-v1", "回退方案不完整"),
        ("plan_submitted", "doc:plan-v2", ""),
        ("plan_approved", "doc:plan-v2", "可行"),
    ]
    assert {(p.org_id, p.impact, p.decisions[0].rule_id) for p in payloads} == {
        ("org-a", "important", "L12")
    }
    r = await broker.http.get(f"/v1/resource-requests/{rid}/history", headers=broker.unit())
    acts = [h["action"] for h in r.json() if h["action"].startswith("migration_")]
    assert acts == [
        "migration_plan_submitted",
        "migration_plan_refused",
        "migration_plan_submitted",
        "migration_plan_approved",
    ]


async def test_a_plan_attached_at_filing_is_submitted_with_the_request(broker):
    materials = {**_body("important")["materials"], "migration_plan": "doc:plan"}
    req = await migrated(broker, "important", materials=materials)
    assert (req["status"], req["migration_plan_status"]) == ("submitted", "submitted")
    assert await broker.events(req["id"]) == ["migration_plan_submitted", "submitted"]
    # The bureau may approve it alongside the request.
    req = await broker.step(req["id"], "migration-plan/decision", broker.admin, approve=True)
    assert req["migration_plan_status"] == "approved"


async def test_an_ordinary_migration_is_deployed_only_after_advance_notice(broker):
    await broker.catalog()
    rid = (await migrated(broker, "ordinary"))["id"]
    await to_configured(broker, rid)
    body = await broker.step(rid, "deploy", broker.unit(), expect=422)
    assert l12(body["decisions"]) == [("L12", "SN C art12", "refuse")]
    assert "no advance notice" in body["detail"]
    # An ordinary migration has no plan to submit.
    await broker.step(rid, "migration-plan", broker.unit(), expect=409, document="doc:plan")

    # A notice after the planned start is refused, citing L12, and records nothing.
    late = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body = await broker.step(
        rid, "migration-notice", broker.unit(), expect=422, affected_org_ids=[], planned_start=late
    )
    assert l12(body["decisions"]) == [("L12", "SN C art12", "refuse")]
    assert (await get(broker, rid))["migration_notice"] is None
    # A start without its offset is no instant: 422 naming the field.
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/migration-notice",
        headers=broker.unit(),
        json={"affected_org_ids": ["org-b"], "planned_start": "2030-01-01T08:00:00"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("planned_start")
    # Nor is a start UTC has no day for (it was a 500).
    r = await broker.http.post(
        f"/v1/resource-requests/{rid}/migration-notice",
        headers=broker.unit(),
        json={"affected_org_ids": ["org-b"], "planned_start": "9999-12-31T23:59:59-14:00"},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("planned_start")
    body = await broker.step(rid, "deploy", broker.unit(), expect=422)
    assert "no advance notice" in body["detail"]

    # In advance: recorded (when, by whom, to whom, the planned start), then deployable.
    start = datetime.now(UTC) + timedelta(days=2)
    req = await broker.step(
        rid,
        "migration-notice",
        broker.unit(),
        affected_org_ids=["org-b", "org-c"],
        planned_start=start.isoformat(),
    )
    notice = req["migration_notice"]
    assert notice["affected_org_ids"] == ["org-b", "org-c"]
    assert notice["given_by"] == "staff-org-a"
    assert datetime.fromisoformat(notice["planned_start"]) == start
    assert datetime.fromisoformat(notice["given_at"]) < start
    admin_view = await get(broker, rid, broker.admin)
    assert admin_view["migration_notice"] == notice
    [payload] = await migration_payloads(broker, rid)
    assert (payload.act, list(payload.affected_org_ids)) == ("notice_given", ["org-b", "org-c"])
    assert payload.planned_start.ToDatetime(tzinfo=UTC) == start

    # Each affected unit receives the notice (提前通知受影响使用单位); no other unit, and no provider.
    async def received(headers):
        r = await broker.http.get("/v1/migration-notices", headers=headers)
        assert r.status_code == 200, r.text
        return sorted(
            (n["request_id"], n["from_org_id"], n["to_org_id"], n["planned_start"])
            for n in r.json()["items"]
        )

    at = start.isoformat().replace("+00:00", "Z")
    assert await received(broker.unit("org-b")) == [(rid, "org-a", "org-b", at)]
    assert await received(broker.unit("org-c")) == [(rid, "org-a", "org-c", at)]
    assert await received(broker.unit("org-d")) == []
    assert await received(broker.unit()) == []  # org-a gave it
    assert len(await received(broker.admin)) == 2
    r = await broker.http.get("/v1/migration-notices", headers=broker.provider())
    assert r.status_code == 403
    # Given again (the start moved, org-c no longer affected), it replaces the first.
    moved = start + timedelta(days=1)
    await broker.step(
        rid,
        "migration-notice",
        broker.unit(),
        affected_org_ids=["org-b"],
        planned_start=moved.isoformat(),
    )
    assert await received(broker.unit("org-c")) == []
    [(_, _, _, planned)] = await received(broker.unit("org-b"))
    assert datetime.fromisoformat(planned.replace("Z", "+00:00")) == moved

    deployed = await broker.step(rid, "deploy", broker.unit())
    assert deployed["status"] == "deployed"
    names = [n for n in await broker.events(rid) if n.startswith("migration_") or n == "deployed"]
    assert names == ["migration_notice_given", "migration_notice_given", "deployed"]
    # After the migration, a notice comes too late.
    later = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    await broker.step(
        rid,
        "migration-notice",
        broker.unit(),
        expect=409,
        affected_org_ids=[],
        planned_start=later,
    )


async def test_another_unit_cannot_see_or_act_on_the_plan(broker):
    req = await migrated(broker, "important")
    rid = req["id"]
    await broker.step(rid, "migration-plan", broker.unit(), document="doc:plan")
    other = broker.unit("org-b")
    assert (await broker.http.get(f"/v1/resource-requests/{rid}", headers=other)).status_code == 404
    r = await broker.http.get(f"/v1/resource-requests/{rid}/history", headers=other)
    assert r.status_code == 404
    await broker.step(rid, "migration-plan", other, expect=404, document="doc:theirs")
    start = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    await broker.step(
        rid, "migration-notice", other, expect=404, affected_org_ids=[], planned_start=start
    )
    r = await broker.http.get("/v1/resource-requests", headers=other)
    assert r.json()["items"] == []
    # A provider reads no unit's plan.
    r = await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.provider())
    assert r.status_code == 403
    # Nothing changed; the unit and the bureau see the submitted plan.
    for h in (broker.unit(), broker.admin):
        seen = await get(broker, rid, h)
        assert (seen["migration_plan_status"], seen["materials"]["migration_plan"]) == (
            "submitted",
            "doc:plan",
        )
    # The official who filed it never decides it.
    both = broker.token("staff-org-a", "org-a", ["unit_staff", "bureau_cloud_admin"])
    await broker.step(rid, "migration-plan/decision", both, expect=403, approve=True)


async def test_where_l12_does_not_apply_nothing_changes(broker_pds):
    b = broker_pds
    await b.catalog()
    # No impact asked for; one declared is a field that means nothing here.
    req = await migrated(b, None)
    assert req["migration_impact"] is None
    assert not [d for d in req["decisions"] if d["rule_id"] == "L12"]
    r = await b.http.post("/v1/resource-requests", headers=b.unit(), json=_body("important"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "migration_impact", r.text
    rid = req["id"]
    await b.step(rid, "migration-plan", b.unit(), expect=409, document="doc:plan")
    # Deployed without plan or notice, as before.
    await to_configured(b, rid)
    assert (await b.step(rid, "deploy", b.unit()))["status"] == "deployed"
    assert not [n for n in await b.events(rid) if n.startswith("migration_")]
