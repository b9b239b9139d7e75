"""The system registry and its lifecycle (K1-K5), each action an event with its grounds."""

from intake_test_helpers import new_project, register_orgs

from govit.intake.v1 import events_pb2


async def events(svc, prefix="govit.intake.system."):
    outbox = svc.runtime.db.tables.outbox
    async with svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select().order_by(outbox.c.seq))).all()
    return [
        (r.event_type, events_pb2.SystemLifecycleChanged.FromString(r.payload))
        for r in rows
        if r.event_type.startswith(prefix)
    ]


async def register(c, name, org="org-a", **more):
    r = await c.http.post(
        "/v1/systems",
        headers=c.bureau(),
        json={"name": name, "owner_org_id": org, "cloud_resource_ids": [f"vm-{name}"], **more},
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def act(c, sid, body):
    return await c.http.post(f"/v1/systems/{sid}/actions", headers=c.bureau(), json=body)


async def test_lifecycle_actions_are_events_with_grounds_and_rules(start_intake, client_for):
    svc = await start_intake("suining")
    c = client_for(svc)
    await register_orgs(c, "org-a", "org-b", "org-c")
    tax = await register(c, "旅游季票系统", last_used_on="2026-01-31")
    old = await register(c, "旧审批系统")
    new = await register(c, "一体化审批平台")
    other = await register(c, "别人的系统", org="org-b")

    # K5 seasonal: idle more than 4 months a year (SN P art48(三)).
    r = await act(
        c,
        tax,
        {
            "action": "freeze",
            "grounds": "seasonal_idle",
            "plan": "冬季停用",
            "idle_months_per_year": 4,
        },
    )
    assert r.status_code == 422
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("K5", "SN P art48")]
    r = await act(
        c,
        tax,
        {
            "action": "freeze",
            "grounds": "seasonal_idle",
            "plan": "冬季停用",
            "idle_months_per_year": 5,
        },
    )
    assert r.status_code == 200 and r.json()["status"] == "frozen"
    assert (
        await act(c, tax, {"action": "freeze", "grounds": "ordered", "plan": "x"})
    ).status_code == 409
    r = await act(c, tax, {"action": "unfreeze", "plan": "旅游旺季重启"})
    assert r.json()["status"] == "active"

    # K2: the original is decommissioned, merged into the other.
    r = await act(
        c,
        old,
        {
            "action": "merge",
            "grounds": "mostly_replaced",
            "plan": "迁移数据",
            "into_system_id": new,
        },
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["merged_into_id"]) == ("decommissioned", new)
    r = await act(c, old, {"action": "decommission", "grounds": "no_longer_needed", "plan": "x"})
    assert r.status_code == 409
    # K4: a new owner; K1: decommissioned with its grounds.
    r = await act(
        c,
        new,
        {"action": "transfer", "plan": "资源、安全责任、运维移交", "new_owner_org_id": "org-c"},
    )
    assert r.json()["owner_org_id"] == "org-c"
    r = await act(
        c, other, {"action": "decommission", "grounds": "low_value", "plan": "数据备份后关停"}
    )
    assert r.json()["status"] == "decommissioned"
    r = await act(c, other, {"action": "decommission", "grounds": "because", "plan": "x"})
    assert r.status_code == 422  # not one of art44's grounds

    got = [(t, e.rule.rule_id, e.rule.article, e.grounds) for t, e in await events(svc)]
    assert got[4:] == [
        ("govit.intake.system.frozen", "K5", "SN P art48", "seasonal_idle"),
        ("govit.intake.system.unfrozen", "K5", "SN P art48", ""),
        ("govit.intake.system.merged", "K2", "SN P art45", "mostly_replaced"),
        ("govit.intake.system.transferred", "K4", "SN P art47", ""),
        ("govit.intake.system.decommissioned", "K1", "SN P art44", "low_value"),
    ]
    frozen = (await events(svc))[4][1]
    assert list(frozen.cloud_resource_ids) == ["vm-旅游季票系统"]  # cloud-broker marks these
    transfer = (await events(svc))[7][1]
    assert (transfer.owner_org_id, transfer.new_owner_org_id) == ("org-a", "org-c")

    # Units see their own systems; K6: idle ones are found by last use.
    mine = (await c.http.get("/v1/systems", headers=c.staff())).json()["items"]
    assert {s["name"] for s in mine} == {"旅游季票系统", "旧审批系统"}
    assert (await c.http.get(f"/v1/systems/{other}", headers=c.staff())).status_code == 404
    idle = await c.http.get("/v1/systems", params={"idle_since": "2026-06-01"}, headers=c.bureau())
    assert [s["id"] for s in idle.json()["items"]] == [tax]
    history = (await c.http.get(f"/v1/systems/{tax}/actions", headers=c.staff())).json()
    assert [h["action"] for h in history] == ["frozen", "unfrozen"]
    assert history[0]["details"] == {"idle_months_per_year": 5}
    assert (
        await c.http.post(
            "/v1/systems/x/actions", headers=c.staff(), json={"action": "unfreeze", "plan": "x"}
        )
    ).status_code == 403


async def test_lifecycle_actions_only_where_the_profile_has_their_rule(start_intake, client_for):
    """Pingdingshan has no K rules: the register records systems, but no action is taken on
    them (409 naming the rule), and no event goes out."""
    svc = await start_intake("pingdingshan")
    c = client_for(svc)
    await register_orgs(c, "org-a")
    sid = await register(c, "旧系统")
    r = await act(c, sid, {"action": "decommission", "grounds": "low_value", "plan": "x"})
    assert r.status_code == 409, r.text
    assert r.json()["rule_id"] == "K1" and "pingdingshan" in r.json()["detail"]
    assert [t for t, _ in await events(svc)] == ["govit.intake.system.registered"]


async def test_a_system_names_units_and_a_project_intake_knows(start_intake, client_for):
    """The bureau names a system's owner, project and new owner by id: each must be known to
    intake (a unit on the register of units or with an application on file; a project filed
    here), or the request is a 422 naming the field and nothing is registered or moved."""
    svc = await start_intake("suining")
    c = client_for(svc)
    body = {"name": "人口库", "owner_org_id": "no-such-org"}
    r = await c.http.post("/v1/systems", headers=c.bureau(), json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "owner_org_id", r.text
    # A unit with an application on file is known without a record; a registered one too.
    project = await new_project(c, "org-a")
    for project_id in ("no-such-project", ""):
        r = await c.http.post(
            "/v1/systems",
            headers=c.bureau(),
            json={"name": "人口库", "owner_org_id": "org-a", "project_id": project_id},
        )
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "project_id", r.text
    assert await events(svc) == []
    sid = await register(c, "人口库", project_id=project["id"])
    r = await act(c, sid, {"action": "transfer", "plan": "移交", "new_owner_org_id": "org-zz"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "new_owner_org_id", r.text
    assert "K4 (SN P art47)" in r.json()["errors"][0]["message"]
    r = await act(c, sid, {"action": "promote", "plan": "上收", "new_owner_org_id": "org-zz"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "new_owner_org_id", r.text
    assert (await c.http.get(f"/v1/systems/{sid}", headers=c.bureau())).json()[
        "owner_org_id"
    ] == "org-a"
    assert [t for t, _ in await events(svc)] == ["govit.intake.system.registered"]
    await register_orgs(c, "org-zz")
    r = await act(c, sid, {"action": "transfer", "plan": "移交", "new_owner_org_id": "org-zz"})
    assert r.status_code == 200 and r.json()["owner_org_id"] == "org-zz", r.text
