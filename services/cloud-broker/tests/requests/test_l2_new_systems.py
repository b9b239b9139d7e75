"""L2: only a new system attaches its project approval (SN C art12: 新建应用系统 ... 立项批文);
a migrated or existing system states its past usage (L5) and needs no approved project."""

from cloud_broker.requests.rules import BASE_MATERIALS, SN_MATERIALS

MATERIALS = {name: f"doc:{name}" for name in {**BASE_MATERIALS, **SN_MATERIALS}}
MIGRATED = {**MATERIALS, "past_usage": "doc:past-usage"}


async def _draft_project(broker, org="org-a") -> str:
    """A project of the unit that intake holds, not approved."""
    r = await broker.intake.post(
        "/v1/projects",
        headers=broker.unit(org),
        json={"name": "旧系统迁移", "project_type": "new", "total_investment": "100000"},
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_a_migrated_system_needs_no_approved_project(broker):
    body = {
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 4}],
        "materials": MIGRATED,
        "new_system": False,
        "migration_impact": "ordinary",  # L12 (SN C art12)
    }
    r = await broker.http.post("/v1/resource-requests", headers=broker.unit(), json=body)
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["status"] == "submitted" and req["project_id"] is None
    [l2] = [d for d in req["decisions"] if d["rule_id"] == "L2" and "project" in d["reason"]]
    assert (l2["outcome"], l2["article"]) == ("allow", "SN C art11, art12")
    assert "new system" in l2["reason"]
    # It goes on like any request.
    assert (await broker.to_approved(req["id"]))["status"] == "approved"

    # A project of the unit, not approved, may be named: it is the unit's own (intake says so).
    pid = await _draft_project(broker)
    req = await broker.file(pid, new_system=False, migration_impact="ordinary", materials=MIGRATED)
    assert req["status"] == "submitted" and req["project_id"] == pid

    # Another unit's project may not: intake does not show it to this unit.
    other = await _draft_project(broker, "org-b")
    r = await broker.http.post(
        "/v1/resource-requests", headers=broker.unit(), json={**body, "project_id": other}
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "project_id"


async def test_a_migrated_draft_is_submitted_without_an_approved_project(broker):
    r = await broker.http.post(
        "/v1/resource-requests",
        headers=broker.unit(),
        json={
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 4}],
            "materials": MIGRATED,
            "new_system": False,
            "migration_impact": "ordinary",  # L12 (SN C art12)
            "draft": True,
        },
    )
    assert r.status_code == 201, r.text
    req = await broker.step(r.json()["id"], "submit", broker.unit())
    assert req["status"] == "submitted"


async def test_a_new_system_still_needs_an_approved_project(broker):
    body = {
        "service_mode": "general",
        "items": [{"sku": "ecs.vcpu", "quantity": 4}],
        "materials": MATERIALS,
        "new_system": True,
    }
    r = await broker.http.post("/v1/resource-requests", headers=broker.unit(), json=body)
    assert r.status_code == 422, r.text
    [d] = r.json()["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == ("L2", "SN C art11, art12", "refuse")

    pid = await _draft_project(broker)
    r = await broker.http.post(
        "/v1/resource-requests", headers=broker.unit(), json={**body, "project_id": pid}
    )
    assert r.status_code == 422, r.text
    [d] = r.json()["decisions"]
    assert (d["rule_id"], d["article"]) == ("L2", "SN C art11, art12")
    assert "not approved" in d["reason"]
