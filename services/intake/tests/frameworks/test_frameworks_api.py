"""C5: a cross-department framework plan, and participants' applications that refer to it."""

from intake_test_helpers import C1_FORM, CATALOG_ROW, new_project, rules_of, upload_required


async def test_application_under_a_framework_plan_needs_the_bureaus_opinion(
    start_intake, client_for
):
    c = client_for(await start_intake("yunyang"))
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
