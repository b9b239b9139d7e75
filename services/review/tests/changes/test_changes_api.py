"""Changes over REST in yunyang: 15% is the unit's to decide and file, 15.01% goes to the
bureau and the approver; another unit sees nothing."""


async def approved_case(api, project_id="p-c", org="org-a", amount="1000000.00"):
    case = await api.open_case(project_id, org, amount)
    await api.declare(case["id"])
    expert = await api.draw_expert(case["id"], f"ed-{project_id}")
    assert (await api.opinion(case["id"], expert, ["technical_route"])).status_code == 201
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "同意"},
    )
    assert r.status_code == 200, r.text
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/ndrc-approval",
        api.ndrc,
        json={"document_number": "云发改〔2026〕1号", "approved_amount": amount},
    )
    assert r.status_code == 201, r.text
    return case


async def test_adjustments_in_yunyang(review_for):
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    pending = await api.open_case("p-pending", "org-a", "500000.00")
    body = {
        "kind": "adjustment",
        "description": "优化技术方案",
        "reason": "plan_optimisation",
        "amount_adjusted": "150000.00",
        "new_total": "1000000.00",
    }
    # Not approved yet: nothing to change.
    r = await api.call("POST", f"/v1/cases/{pending['id']}/changes", unit, json=body)
    assert r.status_code == 409
    case = await approved_case(api)
    url = f"/v1/cases/{case['id']}/changes"
    r = await api.call("POST", url, unit, json={**body, "amount_adjusted": None})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount_adjusted"

    r = await api.call("POST", url, unit, json=body)
    assert r.status_code == 201, r.text
    assert (r.json()["route"], r.json()["status"]) == ("self_decided", "filed")
    assert r.json()["decisions"][0]["article"] == "YY art24"

    r = await api.call("POST", url, unit, json={**body, "amount_adjusted": "150100.00"})
    assert r.status_code == 201
    over = r.json()
    assert (over["route"], over["status"]) == ("approval", "awaiting_bureau")
    assert over["decisions"][0]["outcome"] == "flag"

    # The approver cannot decide before the bureau's disposal opinion; the unit cannot dispose.
    verdict = {"agree": True, "opinion": "同意调整"}
    r = await api.call("POST", f"/v1/changes/{over['id']}/decision", api.ndrc, json=verdict)
    assert r.status_code == 409
    r = await api.call("POST", f"/v1/changes/{over['id']}/disposal", unit, json=verdict)
    assert r.status_code == 403
    r = await api.call("POST", f"/v1/changes/{over['id']}/disposal", api.reviewer, json=verdict)
    assert r.status_code == 200 and r.json()["status"] == "awaiting_approver"
    r = await api.call("POST", f"/v1/changes/{over['id']}/decision", api.ndrc, json=verdict)
    assert r.status_code == 200 and r.json()["status"] == "approved"

    other = api.token("bob", "org-b", "unit_staff")
    assert (await api.call("GET", url, other)).status_code == 404
    assert (await api.call("POST", url, other, json=body)).status_code == 404
    assert len((await api.call("GET", url, unit)).json()) == 2
    types = await api.event_types()
    assert [t for t in types if t.startswith("govit.review.change.")] == [
        "govit.review.change.requested",
        "govit.review.change.requested",
        "govit.review.change.disposed",
        "govit.review.change.decided",
    ]
