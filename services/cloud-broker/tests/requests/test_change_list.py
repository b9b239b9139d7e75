"""GET /v1/changes: the change requests (L6) the caller may see, so a county reviewer (L3, PDS C
art13) finds the changes it reviews without their events: a unit its own, a county reviewer its
county's units', the bureau all, a provider none."""

CHANGE = {"items": [{"sku": "ecs.vcpu", "quantity": 4}], "reason": "降配"}


async def _unit(b, org, county_authority=None) -> None:
    body = {"name": org, "level": "city"}
    if county_authority:
        body = {
            "name": org,
            "level": "county",
            "county_authority_org": county_authority,
            "jurisdiction": county_authority,
        }
    r = await b.http.put(f"/v1/units/{org}", headers=b.admin, json=body)
    assert r.status_code == 200, r.text


async def _change(b, rid: str, org: str) -> str:
    r = await b.http.post(f"/v1/resource-requests/{rid}/changes", headers=b.unit(org), json=CHANGE)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _ids(b, headers, expect=200, **params) -> list[str]:
    r = await b.http.get("/v1/changes", headers=headers, params=params)
    assert r.status_code == expect, r.text
    return [c["id"] for c in r.json()["items"]] if expect == 200 else []


async def test_changes_are_listed_within_the_callers_scope(broker_pds):
    b = broker_pds
    await _unit(b, "org-a")
    await _unit(b, "org-c", county_authority="county-bf")
    await _unit(b, "org-d", county_authority="county-jx")
    changes = {}
    for org in ("org-a", "org-c", "org-d"):
        await b.active_resource(f"r-{org}", org)
        changes[org] = await _change(b, f"r-{org}", org)
    bf = b.token("cr-1", "county-bf", ["county_reviewer"])
    jx = b.token("cr-2", "county-jx", ["county_reviewer"])

    # The bureau sees all, oldest first; finance and audit read them too.
    assert await _ids(b, b.admin) == [changes["org-a"], changes["org-c"], changes["org-d"]]
    auditor = b.token("aud-1", "audit-office", ["auditor"])
    assert len(await _ids(b, auditor)) == 3
    # A unit its own only; a county reviewer its county's units' only (not the city unit's,
    # not another county's), which it then forwards by the id it found here.
    assert await _ids(b, b.unit("org-a")) == [changes["org-a"]]
    assert await _ids(b, b.unit("org-c")) == [changes["org-c"]]
    assert await _ids(b, b.unit("org-x")) == []
    assert await _ids(b, bf) == [changes["org-c"]]
    assert await _ids(b, jx) == [changes["org-d"]]
    r = await b.http.post(f"/v1/changes/{changes['org-c']}/county-forward", headers=bf)
    assert r.status_code == 200, r.text
    # A provider reads no unit's changes.
    await _ids(b, b.provider(), expect=403)

    # Filter by status, within the scope.
    assert await _ids(b, b.admin, status="county_reviewed") == [changes["org-c"]]
    assert await _ids(b, bf, status="submitted") == []
    assert await _ids(b, jx, status="submitted") == [changes["org-d"]]
    assert await _ids(b, b.unit("org-a"), status="county_reviewed") == []
    r = await b.http.get("/v1/changes", headers=b.admin, params={"status": "nonsense"})
    assert r.status_code == 422 and "status" in str(r.json()["errors"]), r.text

    # Pagination as the other lists: a cursor to the next page, none after the last.
    r = await b.http.get("/v1/changes", headers=b.admin, params={"limit": 2})
    first = r.json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    r = await b.http.get(
        "/v1/changes", headers=b.admin, params={"limit": 2, "cursor": first["next_cursor"]}
    )
    assert [c["id"] for c in r.json()["items"]] == [changes["org-d"]]
    assert r.json()["next_cursor"] is None
    r = await b.http.get("/v1/changes", headers=b.admin, params={"cursor": "junk"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor", r.text
