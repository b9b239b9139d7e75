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


async def concluded_case(api, project_id: str) -> dict:
    """A case approved by the bureau's conclusion (pingdingshan and xianyang have no NDRC step
    in review's chain before construction)."""
    case = await api.open_case(project_id, "org-a", "800000.00")
    await api.declare(case["id"], api.token("alice", "org-a", "unit_staff"))
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "同意"},
    )
    assert r.status_code == 200, r.text
    return case


async def test_pingdingshan_files_a_termination_and_it_ends_the_case(review_for):
    """PDS P art17: 终止合同…履行终止手续,并向市政务服务和大数据管理局、市发改委、市财政局、市审计局
    备案 — filed, not approved: the filing ends the case."""
    api = await review_for("pingdingshan")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await concluded_case(api, "p-pds-end")
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "delay", "description": "逾期交付"}
    )
    assert r.status_code == 201, r.text
    assert (r.json()["route"], r.json()["status"]) == ("filing", "filed")
    assert (r.json()["decisions"][0]["rule_id"], r.json()["decisions"][0]["article"]) == (
        "F3",
        "PDS P art17",
    )
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "termination", "description": "目标无法实现"}
    )
    assert r.status_code == 201, r.text
    [f5] = r.json()["decisions"]
    assert (r.json()["route"], r.json()["status"]) == ("filing", "filed")
    assert (f5["rule_id"], f5["article"]) == ("F5", "PDS P art17")
    assert (await api.call("GET", url, unit)).json()["status"] == "terminated"
    r = await api.call(
        "POST", f"/v1/changes/{r.json()['id']}/disposal", api.reviewer, json=OK_OPINION
    )
    assert r.status_code == 409
    types = [t for t in await api.event_types() if t.startswith("govit.review.case.")]
    assert types[-1] == "govit.review.case.terminated"


OK_OPINION = {"agree": True, "opinion": "同意"}


async def test_xianyang_bureau_approves_a_major_change(review_for):
    """XY art15: 重大调整的,须报市政务信息办核准备案 — the bureau's agreement is the approval; no
    other approver. Delays and terminations have no article: the approver decides."""
    api = await review_for("xianyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await concluded_case(api, "p-xy-chg")
    url = f"/v1/cases/{case['id']}/changes"
    r = await api.call("POST", url, unit, json={"kind": "major_change", "description": "调整方案"})
    assert r.status_code == 201, r.text
    change = r.json()
    assert (change["route"], change["status"]) == ("bureau_approval", "awaiting_bureau")
    assert [(d["rule_id"], d["article"]) for d in change["decisions"]] == [("F3", "XY art15")]
    r = await api.call("POST", f"/v1/changes/{change['id']}/decision", api.ndrc, json=OK_OPINION)
    assert r.status_code == 409
    r = await api.call(
        "POST", f"/v1/changes/{change['id']}/disposal", api.reviewer, json=OK_OPINION
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["decided_at"]
    r = await api.call("POST", url, unit, json={"kind": "delay", "description": "延期"})
    assert (r.json()["route"], r.json()["status"]) == ("approval", "awaiting_bureau")
    [f4] = r.json()["decisions"]
    assert (f4["rule_id"], f4["article"]) == ("F4", "")
    assert f4["reason"] == "no delay rule in this profile: the approver decides"
