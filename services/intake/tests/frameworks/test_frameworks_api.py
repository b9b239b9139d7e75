"""C5: a cross-department framework plan, and participants' applications that refer to it."""

from intake_test_helpers import (
    C1_FORM,
    CATALOG_ROW,
    new_project,
    register_orgs,
    rules_of,
    upload_required,
)


async def test_application_under_a_framework_plan_needs_the_bureaus_opinion(
    start_intake, client_for
):
    c = client_for(await start_intake("yunyang"))
    await register_orgs(c, "org-b")
    plan = {
        "name": "城市运行一网统管",
        "participant_org_ids": ["org-b"],
        "goals": "统一城市运行监测",
        "data_flows": "各部门数据汇聚至县大数据中心",
        "interfaces": "统一数据共享交换接口",
    }
    r = await c.http.post("/v1/framework-plans", headers=c.staff(), json=plan)
    assert r.status_code == 201 and r.json()["lead_org_id"] == "org-a"
    fid = r.json()["id"]
    assert (
        await c.http.get(f"/v1/framework-plans/{fid}", headers=c.staff("org-b"))
    ).status_code == 200
    assert (
        await c.http.get(f"/v1/framework-plans/{fid}", headers=c.staff("org-x"))
    ).status_code == 404

    async def filed(org):
        project = await new_project(c, org, framework_plan_id=fid, **C1_FORM)
        await upload_required(c, project["id"], org)
        await c.http.put(
            f"/v1/projects/{project['id']}/catalog", headers=c.staff(org), json=[CATALOG_ROW]
        )
        return project["id"]

    pid = await filed("org-b")
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff("org-b"))
    assert r.status_code == 422 and rules_of(r.json()) == [("C5", "YY art13")]
    outsider = await filed("org-x")
    r = await c.http.post(
        f"/v1/framework-plans/{fid}/approve", headers=c.bureau(), json={"opinion": "同意"}
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = await c.http.post(f"/v1/projects/{pid}/submit", headers=c.staff("org-b"))
    assert r.status_code == 200, r.text
    r = await c.http.post(f"/v1/projects/{outsider}/submit", headers=c.staff("org-x"))
    assert r.status_code == 422 and rules_of(r.json()) == [("C5", "YY art13")]


async def test_plans_are_listed_to_their_lead_participants_and_the_bureau(start_intake, client_for):
    """A unit lists the plans it leads or joins, never another's (an id that is a wildcard in
    LIKE, org_b, does not match org-b's); the bureau lists all, filtered by status."""
    c = client_for(await start_intake("yunyang"))
    await register_orgs(c, "org-a", "org-b", "org-d")

    async def plan(lead, participants):
        body = {"name": f"{lead}的框架方案", "participant_org_ids": participants}
        body |= {"goals": "g", "data_flows": "d", "interfaces": "i"}
        r = await c.http.post("/v1/framework-plans", headers=c.staff(lead), json=body)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    led, joined, other = (
        await plan("org-a", ["org-b"]),
        await plan("org-c", ["org-a", "org-d"]),
        await plan("org-c", ["org-b"]),
    )
    await c.http.post(
        f"/v1/framework-plans/{joined}/approve", headers=c.bureau(), json={"opinion": "同意"}
    )

    async def ids(headers, **params):
        r = await c.http.get("/v1/framework-plans", headers=headers, params=params)
        assert r.status_code == 200, r.text
        return {p["id"] for p in r.json()["items"]}

    assert await ids(c.staff("org-a")) == {led, joined}
    assert await ids(c.staff("org-b")) == {led, other}
    assert await ids(c.staff("org_b")) == set()
    assert await ids(c.bureau()) == {led, joined, other}
    assert await ids(c.bureau(), status="approved") == {joined}
    r = await c.http.get("/v1/framework-plans", headers=c.bureau(), params={"status": "x"})
    assert r.status_code == 422


async def test_a_plans_participants_are_units_intake_knows(start_intake, client_for):
    """C5: the lead names its participants by id; an id intake does not know (not on the register
    of units, no application on file) is a 422 naming participant_org_ids and C5, and no plan is
    made."""
    c = client_for(await start_intake("yunyang"))
    plan = {
        "name": "城市运行一网统管",
        "participant_org_ids": ["org-b", "no-such-org"],
        "goals": "g",
        "data_flows": "d",
        "interfaces": "i",
    }
    await register_orgs(c, "org-b")
    r = await c.http.post("/v1/framework-plans", headers=c.staff(), json=plan)
    assert r.status_code == 422, r.text
    [err] = r.json()["errors"]
    assert err["field"] == "participant_org_ids" and "no-such-org" in err["message"]
    assert "C5 (YY art13)" in err["message"]
    assert (await c.http.get("/v1/framework-plans", headers=c.bureau())).json()["items"] == []
    r = await c.http.post(
        "/v1/framework-plans", headers=c.staff(), json={**plan, "participant_org_ids": ["org-b"]}
    )
    assert r.status_code == 201, r.text
