"""GET /v1/annual-plans/{year} answers every item, as it always did; with `limit` (or a
`cursor`) one page of them in the order added, and `next_cursor` while more follow."""

from intake_test_helpers import approve, submitted_project


async def test_a_plan_s_items_page_on_request(start_intake, client_for, event_space):
    svc = await start_intake("suining")
    c = client_for(svc)
    ids = []
    for _ in range(3):
        pid = await submitted_project(c)
        await approve(c, event_space, pid)
        ids.append(pid)
    assert (
        await c.http.post("/v1/annual-plans", headers=c.bureau(), json={"year": 2027})
    ).status_code == 201
    for pid in ids:
        r = await c.http.post(
            "/v1/annual-plans/2027/items",
            headers=c.bureau(),
            json={"project_id": pid, "priority_type": "integration", "reason": "整合分散系统"},
        )
        assert r.status_code == 201, r.text
    whole = (await c.http.get("/v1/annual-plans/2027", headers=c.bureau())).json()
    assert [i["project_id"] for i in whole["items"]] == ids and whole["next_cursor"] is None
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await c.http.get("/v1/annual-plans/2027", headers=c.bureau(), params=params)).json()
        assert page["year"] == 2027 and len(page["items"]) <= 2
        seen += [i["project_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids
    r = await c.http.get("/v1/annual-plans/2027", headers=c.bureau(), params={"cursor": "x!"})
    assert r.status_code == 422
