"""Demand calls where the profile sets no date (the bureau names it) or has no call at all."""


async def test_suining_call_needs_the_bureaus_deadline(start_intake, client_for):
    c = client_for(await start_intake("suining"))
    r = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2027})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "deadline"
    assert "SN P art17" in r.json()["detail"]
    body = {"plan_year": 2027, "deadline": "2026-10-15"}
    r = await c.http.post("/v1/demand-calls", headers=c.bureau(), json=body)
    assert r.status_code == 201 and r.json()["deadline"] == "2026-10-15"
    again = await c.http.post("/v1/demand-calls", headers=c.bureau(), json=body)
    assert again.status_code == 409
    listed = await c.http.get("/v1/demand-calls", headers=c.staff())
    assert [x["plan_year"] for x in listed.json()["items"]] == [2027]
    outbox = c.svc.runtime.db.tables.outbox
    async with c.svc.runtime.db.sessions() as session:
        rows = (await session.execute(outbox.select())).all()
    assert [r.event_type for r in rows] == ["govit.intake.demand_call.opened"]


async def test_xianyang_has_no_demand_call(start_intake, client_for):
    c = client_for(await start_intake("xianyang"))
    r = await c.http.post("/v1/demand-calls", headers=c.bureau(), json={"plan_year": 2027})
    assert r.status_code == 409 and "B1" in r.json()["detail"]
