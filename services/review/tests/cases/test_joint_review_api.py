"""Joint review over REST: versioned opinions, the bureau's conclusion with revisions, a
resubmission that keeps the history, then the D7 approval chain, each step an event."""

import asyncio

D4 = [
    "mandatory_requirements",
    "resource_sharing",
    "technical_route",
    "technology_trends",
    "security_and_om",
    "implementation_plan",
    "implementation_conditions",
    "performance_goals",
]
SECRECY = ["secure_and_reliable", "electronic_records", "crypto_compliance"]


async def test_joint_review_revision_and_approval_chain(review_for):
    api = await review_for("suining")
    case = await api.open_case("p-j", "org-a", "450000.00")
    url = f"/v1/cases/{case['id']}"
    unit = api.token("alice", "org-a", "unit_staff")
    expert = await api.draw_expert(case["id"], "ed")
    stranger = api.token("eve", "org-univ", "expert")  # in no draw

    # Who may give an opinion: a drawn expert, the security and secrecy reviewers.
    assert (await api.opinion(case["id"], stranger, D4)).status_code == 404
    assert (await api.opinion(case["id"], unit, D4)).status_code == 403
    assert (await api.opinion(case["id"], api.reviewer, D4)).status_code == 403
    # An expert opinion must assess every D4 item; the refusal names what is missing.
    r = await api.opinion(case["id"], expert, D4[:-1])
    assert r.status_code == 422 and r.json()["decisions"][0]["rule_id"] == "D4"
    assert r.json()["decisions"][0]["article"] == "SN P art23(一)"
    assert "performance_goals" in r.json()["detail"]

    r = await api.opinion(case["id"], expert, D4, rec="revise")
    assert r.status_code == 201 and r.json()["version"] == 1
    # Saving again without naming the version it revises would overwrite: 409.
    r = await api.opinion(case["id"], expert, D4, rec="approve")
    assert r.status_code == 409 and r.json()["current_version"] == 1
    r = await api.opinion(case["id"], expert, D4, rec="approve", based_on=1)
    assert r.status_code == 201 and r.json()["version"] == 2

    # Security and secrecy save at once: both opinions are kept.
    a, b = await asyncio.gather(
        api.opinion(case["id"], api.security, ["information_security"]),
        api.opinion(case["id"], api.secrecy, SECRECY),
    )
    assert (a.status_code, b.status_code) == (201, 201)
    # The same reviewer saving twice at once from the same base: one wins, one is told.
    a, b = await asyncio.gather(
        api.opinion(case["id"], api.security, ["information_security"], based_on=1),
        api.opinion(case["id"], api.security, ["information_security"], based_on=1, rec="revise"),
    )
    assert sorted((a.status_code, b.status_code)) == [201, 409]

    opinions = (await api.call("GET", f"{url}/opinions", api.reviewer)).json()
    assert [(o["author"], o["version"]) for o in opinions if o["author"] == "ed"] == [
        ("ed", 1),
        ("ed", 2),
    ]
    assert len(opinions) == 5  # ed v1, v2; sam v1, v2; sue v1
    # An expert reads only their own; the unit reads none.
    assert {o["author"] for o in (await api.call("GET", f"{url}/opinions", expert)).json()} == {
        "ed"
    }
    assert (await api.call("GET", f"{url}/opinions", unit)).status_code == 403

    # Approve after revision needs the revisions; they go back to the unit.
    body = {"conclusion": "approve_after_revision", "reason": "需完善"}
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "required_revisions"
    revisions = ["补充数据共享清单", "细化绩效目标"]
    # The attributes were never declared, so the pre-checks never ran: refused, citing D5.
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={**body, "required_revisions": revisions}
    )
    assert r.status_code == 422 and r.json()["type"] == "/problems/rule-refused"
    [undeclared] = r.json()["decisions"]
    assert (undeclared["rule_id"], undeclared["article"]) == ("D5", "SN P art19(二)")
    assert undeclared["figures"] == {"missing": "attributes"}
    await api.declare(case["id"], unit)
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={**body, "required_revisions": revisions}
    )
    assert r.status_code == 200 and r.json()["status"] == "revision_requested"
    assert (await api.opinion(case["id"], expert, D4, based_on=2)).status_code == 409
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={**body, "required_revisions": revisions}
    )
    assert r.status_code == 409

    # The unit resubmits; round 2 starts with no opinions, so approval waits for them (D3).
    other_unit = api.token("bob", "org-b", "unit_staff")
    note = {"note": "已按意见修改"}
    assert (await api.call("POST", f"{url}/resubmission", other_unit, json=note)).status_code == 404
    r = await api.call("POST", f"{url}/resubmission", unit, json=note)
    assert r.status_code == 200 and (r.json()["round"], r.json()["status"]) == (2, "open")
    approve = {"conclusion": "approve", "reason": "同意"}
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 422 and [d["rule_id"] for d in r.json()["decisions"]] == ["D3"] * 3
    await api.joint_review(case["id"], expert)  # round 2: version 1 again for each author
    r = await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 200 and r.json()["chain_stage"] == "bureau_opinion"

    # D7: finance cannot review before the NDRC approves; only the NDRC records its approval.
    step = {"document_number": "遂发改审批〔2026〕12号", "approved_amount": "440000.00"}
    r = await api.call("POST", f"{url}/investment-review", api.finance, json=step)
    assert r.status_code == 422 and r.json()["decisions"][0]["rule_id"] == "D7"
    assert r.json()["decisions"][0]["article"] == "SN P art14, art15, art24"
    assert (
        await api.call("POST", f"{url}/ndrc-approval", api.finance, json=step)
    ).status_code == 403
    r = await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)
    assert r.status_code == 201, r.text
    assert (await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)).status_code == 422
    r = await api.call(
        "POST",
        f"{url}/investment-review",
        api.finance,
        json={"document_number": "遂财评〔2026〕3号", "approved_amount": "430000.00"},
    )
    assert r.status_code == 201
    got = (await api.call("GET", url, unit)).json()
    assert (got["chain_stage"], got["approved_investment"]) == ("investment_review", "440000.00")

    # The history keeps every round.
    h = (await api.call("GET", f"{url}/history", api.reviewer)).json()
    assert [(c["round"], c["conclusion"]) for c in h["conclusions"]] == [
        (1, "approve_after_revision"),
        (2, "approve"),
    ]
    assert h["conclusions"][0]["required_revisions"] == revisions
    assert [r["round"] for r in h["resubmissions"]] == [2]
    assert len(h["opinions"]) == 8 and [s["step"] for s in h["approval_steps"]] == [
        "ndrc_approval",
        "investment_review",
    ]
    assert (await api.call("GET", f"{url}/history", unit)).json()["opinions"] == []

    types = await api.event_types()
    assert types.count("govit.review.opinion.recorded") == 8
    assert types.count("govit.review.case.concluded") == 2
    assert types.count("govit.review.case.resubmitted") == 1
    assert types[-2:] == [
        "govit.review.approval.ndrc_approved",
        "govit.review.approval.investment_reviewed",
    ]


async def test_intake_resubmission_reopens_the_case(review_for):
    api = await review_for("yunyang")
    case = await api.open_case("p-r", "org-a", "100000.00")
    expert = await api.draw_expert(case["id"], "ed")
    # Yunyang: no D3 joint review, but the drawn expert's opinion is needed (D6).
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve", "reason": "x"},
    )
    assert r.status_code == 422 and r.json()["decisions"][0]["rule_id"] == "D6"
    assert (await api.opinion(case["id"], expert, ["technical_route"])).status_code == 201
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/conclusion",
        api.reviewer,
        json={"conclusion": "approve_after_revision", "reason": "x", "required_revisions": ["改"]},
    )
    assert r.status_code == 200
    # Intake submits the revised project again: the same case opens round 2, no second case.
    await api.open_case("p-r", "org-a", "100000.00")

    async def reopened():
        r = await api.call("GET", f"/v1/cases/{case['id']}", api.reviewer)
        return r.json()["round"] == 2 and r.json()["status"] == "open"

    from govit_kit.testing import wait_until

    await wait_until(reopened)
    r = await api.call("GET", "/v1/cases", api.reviewer, params={"project_id": "p-r"})
    assert len(r.json()["items"]) == 1
