"""L3 for changes and exits: PDS C art13 (县(市、区)使用单位变更、退出申请流程,参照本办法第八条第一款
规定执行) sends a county unit's change and exit applications through its county authority's first
review, as its requests (art8(1)); Suining (SN C art15-16) sends them to the bureau directly."""

from datetime import UTC, datetime, timedelta

COUNTY = {
    "name": "宝丰县某局",
    "level": "county",
    "county_authority_org": "county-bf",
    "jurisdiction": "baofeng",
}
CHANGE = {"items": [{"sku": "ecs.vcpu", "quantity": 4}], "reason": "降配"}


async def _county_unit(b, org="org-c") -> None:
    r = await b.http.put(f"/v1/units/{org}", headers=b.admin, json=COUNTY)
    assert r.status_code == 200, r.text


def _yesterday() -> str:
    return (datetime.now(UTC) - timedelta(days=1)).date().isoformat()


async def _exit(b, rid: str, org: str) -> dict:
    r = await b.http.post(
        f"/v1/resource-requests/{rid}/exit",
        headers=b.unit(org),
        json={"stopped_use_on": _yesterday(), "reason": "系统下线"},
    )
    assert r.status_code == 200, r.text
    return r.json()


async def _change(b, rid: str, org: str) -> dict:
    r = await b.http.post(f"/v1/resource-requests/{rid}/changes", headers=b.unit(org), json=CHANGE)
    assert r.status_code == 201, r.text
    return r.json()


async def test_pds_county_exit_is_reviewed_by_its_county_first(broker_pds):
    b = broker_pds
    await _county_unit(b)
    own = b.token("cr-1", "county-bf", ["county_reviewer"])
    other = b.token("cr-2", "county-jx", ["county_reviewer"])
    await b.active_resource("r-exit", "org-c")
    await b.active_resource("r-back", "org-c")

    exited = await _exit(b, "r-exit", "org-c")
    assert exited["status"] == "exit_requested"
    [l3] = [d for d in exited["decisions"] if d["rule_id"] == "L3"]
    assert (l3["outcome"], l3["article"]) == ("allow", "PDS C art8, art13")
    # The bureau may not decide before the county reviewed it: 422 citing L3 and art13.
    for step, body in (("approve-exit", None), ("reject-exit", {"reason": "不同意"})):
        r = await b.http.post(f"/v1/resource-requests/r-exit/{step}", headers=b.admin, json=body)
        assert r.status_code == 422, r.text
        [d] = r.json()["decisions"]
        assert (d["rule_id"], d["outcome"], d["article"]) == ("L3", "refuse", "PDS C art8, art13")
    # Another county's reviewer does not reach it; its own reads and forwards it.
    await b.step("r-exit", "county-forward", other, expect=404)
    r = await b.http.get("/v1/resource-requests/r-exit", headers=own)
    assert r.status_code == 200 and r.json()["status"] == "exit_requested"
    # The unit cannot forward its own exit.
    await b.step("r-exit", "county-forward", b.unit("org-c"), expect=403)
    forwarded = await b.step("r-exit", "county-forward", own)
    assert forwarded["status"] == "exit_forwarded"
    # Forwarded once: again is a 409 naming the state.
    r = await b.http.post("/v1/resource-requests/r-exit/county-forward", headers=own)
    assert r.status_code == 409 and r.json()["state"] == "exit_forwarded", r.text
    approved = await b.step("r-exit", "approve-exit", b.admin)
    assert approved["status"] == "transition"
    history = (await b.http.get("/v1/resource-requests/r-exit/history", headers=own)).json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("request_exit", "active", "exit_requested"),
        ("county_forward_exit", "exit_requested", "exit_forwarded"),
        ("approve_exit", "exit_forwarded", "transition"),
    ]
    assert history[1]["actor"] == "cr-1"
    assert await b.events("r-exit") == ["exit_requested", "exit_county_forwarded", "exit_approved"]

    # The county rejects an exit with a reason: the resource is active again, nothing under way.
    await _exit(b, "r-back", "org-c")
    r = await b.http.post("/v1/resource-requests/r-back/county-reject", headers=own, json={})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    back = await b.step("r-back", "county-reject", own, reason="系统仍在使用")
    assert (back["status"], back["active_operation"]) == ("active", None)
    assert await b.events("r-back") == ["exit_requested", "exit_county_rejected"]
    # From active there is nothing for the county to review: 409 naming the state.
    r = await b.http.post("/v1/resource-requests/r-back/county-forward", headers=own)
    assert r.status_code == 409 and r.json()["state"] == "active", r.text


async def test_pds_county_change_is_reviewed_by_its_county_first(broker_pds):
    b = broker_pds
    await _county_unit(b)
    own = b.token("cr-1", "county-bf", ["county_reviewer"])
    other = b.token("cr-2", "county-jx", ["county_reviewer"])
    await b.active_resource("r-chg", "org-c")
    change = await _change(b, "r-chg", "org-c")
    cid = change["id"]
    assert change["status"] == "submitted"

    # The bureau may not decide before the county reviewed it (422 citing L3), either way.
    for body in ({"approve": True}, {"approve": False, "reason": "不同意"}):
        r = await b.http.post(f"/v1/changes/{cid}/decision", headers=b.admin, json=body)
        assert r.status_code == 422, r.text
        [d] = r.json()["decisions"]
        assert (d["rule_id"], d["outcome"], d["article"]) == ("L3", "refuse", "PDS C art8, art13")
    # The county reads its unit's change; another county does not, nor reviews it.
    assert (await b.http.get(f"/v1/changes/{cid}", headers=own)).status_code == 200
    assert (await b.http.get(f"/v1/changes/{cid}", headers=other)).status_code == 404
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=other)
    assert r.status_code == 404
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=b.unit("org-c"))
    assert r.status_code == 403
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=own)
    assert r.status_code == 200 and r.json()["status"] == "county_reviewed", r.text
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=own)
    assert r.status_code == 409 and r.json()["state"] == "county_reviewed", r.text
    r = await b.http.post(f"/v1/changes/{cid}/decision", headers=b.admin, json={"approve": True})
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    assert await b.events(cid) == ["submitted", "county_forwarded", "approved"]

    # A county rejection ends the change: the resource takes another operation.
    await b.active_resource("r-chg2", "org-c")
    cid2 = (await _change(b, "r-chg2", "org-c"))["id"]
    r = await b.http.post(f"/v1/changes/{cid2}/county-reject", headers=own, json={})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await b.http.post(
        f"/v1/changes/{cid2}/county-reject", headers=own, json={"reason": "无必要"}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["decided_by"]) == ("rejected", "cr-1")
    r = await b.http.post(f"/v1/changes/{cid2}/decision", headers=b.admin, json={"approve": True})
    assert r.status_code == 409 and r.json()["state"] == "rejected"
    req = (await b.http.get("/v1/resource-requests/r-chg2", headers=own)).json()
    assert req["active_operation"] is None
    assert await b.events(cid2) == ["submitted", "county_rejected"]


async def test_pds_city_unit_change_and_exit_have_no_county_step(broker_pds):
    b = broker_pds
    county = b.token("cr-1", "county-bf", ["county_reviewer"])
    await b.active_resource("r-city", "org-a")
    cid = (await _change(b, "r-city", "org-a"))["id"]
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=county)
    assert r.status_code == 404  # not a unit under that county
    r = await b.http.post(
        f"/v1/changes/{cid}/decision", headers=b.admin, json={"approve": False, "reason": "不同意"}
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    exited = await _exit(b, "r-city", "org-a")
    assert not [d for d in exited["decisions"] if d["rule_id"] == "L3"]
    assert (await b.step("r-city", "approve-exit", b.admin))["status"] == "transition"


async def test_sn_county_change_and_exit_go_to_the_bureau_directly(broker):
    """SN C art15-16: changes and exits go to the bureau; no county step (profile figure
    `county_reviews_changes_and_exits: false`)."""
    b = broker
    await _county_unit(b)
    county = b.token("cr-1", "county-bf", ["county_reviewer"])
    await b.active_resource("r-sn", "org-c")
    cid = (await _change(b, "r-sn", "org-c"))["id"]
    r = await b.http.post(f"/v1/changes/{cid}/county-forward", headers=county)
    assert r.status_code == 409 and "SN C art12" in r.json()["detail"], r.text
    r = await b.http.post(
        f"/v1/changes/{cid}/decision", headers=b.admin, json={"approve": False, "reason": "不同意"}
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    exited = await _exit(b, "r-sn", "org-c")
    assert not [d for d in exited["decisions"] if d["rule_id"] == "L3"]
    r = await b.http.post("/v1/resource-requests/r-sn/county-forward", headers=county)
    assert r.status_code == 409 and r.json()["state"] == "exit_requested", r.text
    approved = await b.step("r-sn", "approve-exit", b.admin)
    assert approved["status"] == "transition"
    assert not [
        d for d in approved["decisions"] if d["rule_id"] == "L3" and d["outcome"] != "allow"
    ]
