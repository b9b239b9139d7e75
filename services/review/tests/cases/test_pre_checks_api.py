"""Pre-checks over REST: raised from declared attributes, blocking approval, overruled only
with a written reason, cleared when the declaration changes."""


async def test_pre_checks_block_approval_until_overruled_or_cleared(review_for):
    api = await review_for("suining")
    case = await api.open_case("p-dc", "org-a", "450000.00")
    unit = api.token("alice", "org-a", "unit_staff")
    other_unit = api.token("bob", "org-b", "unit_staff")
    url = f"/v1/cases/{case['id']}"
    attrs = {"new_data_centre": True, "predecessor_project_id": "p-old", "contractor": "acme"}

    assert (await api.call("PUT", f"{url}/attributes", other_unit, json=attrs)).status_code == 404
    r = await api.call("PUT", f"{url}/attributes", unit, json={**attrs, "colour": "red"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "colour"
    r = await api.call("PUT", f"{url}/attributes", unit, json=attrs)
    assert r.status_code == 200, r.text
    assert r.json()["contractor"] == "acme"
    checks = (await api.call("GET", f"{url}/pre-checks", api.reviewer)).json()
    by_ground = {c["ground"]: c for c in checks}
    assert set(by_ground) == {"new_data_centre", "unaccepted_predecessor"}
    assert (by_ground["new_data_centre"]["rule_id"], by_ground["new_data_centre"]["article"]) == (
        "D5",
        "SN P art19(二)",
    )
    assert by_ground["unaccepted_predecessor"]["article"] == "SN P art19(二)8"

    # Approval is refused naming both grounds; a rejection is not.
    body = {"conclusion": "approve", "reason": "可行"}
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=body)
    assert r.status_code == 422 and r.json()["type"] == "/problems/rule-refused"
    # ... and the joint review (D3) has no opinions yet.
    assert sorted(d["rule_id"] for d in r.json()["decisions"]) == ["D3", "D3", "D3", "D5", "D8"]

    # Overruling needs the bureau and a written reason.
    dc = by_ground["new_data_centre"]["id"]
    r = await api.call("POST", f"{url}/pre-checks/{dc}/overrule", unit, json={"reason": "x"})
    assert r.status_code == 403
    r = await api.call(
        "POST", f"{url}/pre-checks/{dc}/overrule", api.reviewer, json={"reason": " "}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await api.call(
        "POST",
        f"{url}/pre-checks/{dc}/overrule",
        api.reviewer,
        json={"reason": "涉及国家关键信息基础设施,经批准的例外"},
    )
    assert r.status_code == 200 and r.json()["status"] == "overruled"
    assert r.json()["overruled_by"] == "rita"

    # The unit shows the predecessor was accepted: D8 clears; the overruled ground stays.
    r = await api.call(
        "PUT", f"{url}/attributes", unit, json={**attrs, "predecessor_accepted": True}
    )
    checks = {
        c["ground"]: c["status"] for c in (await api.call("GET", f"{url}/pre-checks", unit)).json()
    }
    assert checks == {"new_data_centre": "overruled", "unaccepted_predecessor": "cleared"}

    # With the joint opinions in, nothing blocks the approval.
    await api.joint_review(case["id"], await api.draw_expert(case["id"], "ed"))
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=body)
    assert r.status_code == 200, r.text
    types = await api.event_types()
    assert types.count("govit.review.case.pre_checked") == 2
    assert types.count("govit.review.pre_check.overruled") == 1


async def test_review_record_of_the_predecessor_wins_over_the_claim(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    # Review has the predecessor's case but no acceptance of it: "accepted" is not believed.
    await api.open_case("p-v1", "org-a", "100000.00")
    case = await api.open_case("p-v2", "org-a", "450000.00")
    attrs = {"predecessor_project_id": "p-v1", "predecessor_accepted": True}
    r = await api.call("PUT", f"/v1/cases/{case['id']}/attributes", unit, json=attrs)
    assert r.status_code == 200
    checks = (await api.call("GET", f"/v1/cases/{case['id']}/pre-checks", unit)).json()
    assert [(c["ground"], c["rule_id"], c["status"]) for c in checks] == [
        ("unaccepted_predecessor", "D8", "raised")
    ]
    # A predecessor review never saw: the declaration stands.
    attrs = {"predecessor_project_id": "p-elsewhere", "predecessor_accepted": True}
    await api.call("PUT", f"/v1/cases/{case['id']}/attributes", unit, json=attrs)
    checks = (await api.call("GET", f"/v1/cases/{case['id']}/pre-checks", unit)).json()
    assert [c["status"] for c in checks] == ["cleared"]
