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
    # F1 (YY art24) cited with its decision; no F2 in yunyang, so not named (before: "(F1, F2)").
    assert r.json()["detail"] == "an adjustment states its amount_adjusted (F1 (YY art24))"
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("F1", "YY art24")]

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


async def _change_payloads(api, event_type: str) -> list:
    from sqlalchemy import select

    from govit.review.v1 import events_pb2

    outbox = api.service.runtime.db.tables.outbox
    async with api.service.runtime.db.sessions() as session:
        rows = await session.scalars(
            select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.seq)
        )
        return [events_pb2.ChangeRecorded.FromString(p) for p in rows.all()]


async def test_xianyang_bureau_approved_adjustment_sets_the_approved_investment(review_for):
    """XY art15 核准备案: the bureau's agreement approves the adjustment, so the case's approved
    investment follows it as the approver's decision does elsewhere (F2), and the next
    adjustment is measured from it; the disposal event is the approval, with both totals."""
    from decimal import Decimal

    from govit_kit.convert import from_money

    api = await review_for("xianyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await concluded_case(api, "p-xy-adj")
    url = f"/v1/cases/{case['id']}"
    body = {
        "kind": "adjustment",
        "description": "增加建设内容",
        "reason": "other",
        "amount_adjusted": "100000.00",
        "new_total": "900000.00",
    }
    r = await api.call("POST", f"{url}/changes", unit, json=body)
    assert r.status_code == 201, r.text
    change = r.json()
    assert (change["route"], change["status"]) == ("bureau_approval", "awaiting_bureau")
    r = await api.call(
        "POST", f"/v1/changes/{change['id']}/disposal", api.reviewer, json=OK_OPINION
    )
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    got = (await api.call("GET", url, api.reviewer)).json()
    assert Decimal(got["approved_investment"]) == Decimal("900000.00")
    [disposed] = await _change_payloads(api, "govit.review.change.disposed")
    assert (disposed.status, disposed.route, disposed.kind) == (
        "approved",
        "bureau_approval",
        "adjustment",
    )
    assert from_money(disposed.approved_total) == Decimal("800000.00")
    assert from_money(disposed.new_total) == Decimal("900000.00")
    assert from_money(disposed.amount_adjusted) == Decimal("100000.00")
    # The next adjustment is measured from the approved 90万, not the applied 80万.
    r = await api.call("POST", f"{url}/changes", unit, json={**body, "new_total": "950000.00"})
    assert r.status_code == 201 and Decimal(r.json()["approved_total"]) == Decimal("900000.00")
    # A refusal changes nothing.
    r = await api.call(
        "POST",
        f"/v1/changes/{r.json()['id']}/disposal",
        api.reviewer,
        json={"agree": False, "opinion": "不同意"},
    )
    assert r.status_code == 200 and r.json()["status"] == "refused"
    got = (await api.call("GET", url, api.reviewer)).json()
    assert Decimal(got["approved_investment"]) == Decimal("900000.00")


async def test_xianyang_bureau_cannot_approve_a_change_of_a_terminated_case(review_for):
    """As the approver's decision, the bureau's approving disposal (XY art15) needs a case that
    still takes changes: once the project is terminated (F5), it is a 409 and nothing moves."""

    api = await review_for("xianyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await concluded_case(api, "p-xy-end")
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST",
        f"{url}/changes",
        unit,
        json={
            "kind": "adjustment",
            "description": "增加建设内容",
            "reason": "other",
            "amount_adjusted": "100000.00",
            "new_total": "900000.00",
        },
    )
    pending = r.json()
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "termination", "description": "终止"}
    )
    end = r.json()
    assert end["route"] == "approval", end
    for path, token in (("disposal", api.reviewer), ("decision", api.ndrc)):
        r = await api.call("POST", f"/v1/changes/{end['id']}/{path}", token, json=OK_OPINION)
        assert r.status_code == 200, r.text
    assert (await api.call("GET", url, unit)).json()["status"] == "terminated"
    r = await api.call(
        "POST", f"/v1/changes/{pending['id']}/disposal", api.reviewer, json=OK_OPINION
    )
    assert r.status_code == 409 and r.json()["state"] == "terminated", r.text
    got = (await api.call("GET", url, api.reviewer)).json()
    assert got["approved_investment"] is None
    listed = (await api.call("GET", f"{url}/changes", unit)).json()
    assert [c["status"] for c in listed if c["id"] == pending["id"]] == ["awaiting_bureau"]
