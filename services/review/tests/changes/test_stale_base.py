"""F1/F2: an adjustment is decided on the approved total it was requested on. Two adjustments
requested on the same 1,000,000.00 base: once one is approved (1,300,000.00), agreeing to the
other (to 1,200,000.00) would silently undo that approval; it is a 409 naming the current
figure, at the bureau's disposal and at the approver's decision, and the unit refiles."""

import asyncio

from .test_changes_api import approved_case

ADJUST = {"kind": "adjustment", "description": "增加功能", "reason": "plan_optimisation"}
AGREE = {"agree": True, "opinion": "同意"}


async def _request(api, unit, case, amount, total):
    r = await api.call(
        "POST",
        f"/v1/cases/{case['id']}/changes",
        unit,
        json={**ADJUST, "amount_adjusted": amount, "new_total": total},
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "awaiting_bureau"
    return r.json()


async def _dispose(api, change, verdict=AGREE):
    return await api.call(
        "POST", f"/v1/changes/{change['id']}/disposal", api.reviewer, json=verdict
    )


async def _decide(api, change, verdict=AGREE):
    return await api.call("POST", f"/v1/changes/{change['id']}/decision", api.ndrc, json=verdict)


async def _approved(api, case):
    r = await api.call("GET", f"/v1/cases/{case['id']}", api.reviewer)
    return r.json()["approved_investment"]


async def test_a_stale_adjustment_is_refused_at_decision_and_disposal(review_for):
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await approved_case(api)
    a = await _request(api, unit, case, "300000.00", "1300000.00")
    b = await _request(api, unit, case, "200000.00", "1200000.00")
    c = await _request(api, unit, case, "400000.00", "1400000.00")
    assert a["approved_total"] == b["approved_total"] == c["approved_total"] == "1000000.00"
    for change in (a, b):
        assert (await _dispose(api, change)).status_code == 200
    r = await _decide(api, a)
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text
    assert await _approved(api, case) == "1300000.00"

    # B was disposed of on the old base; the approver's agreement is refused, naming the figure.
    r = await _decide(api, b)
    assert r.status_code == 409, r.text
    assert r.json()["current_approved_total"] == "1300000.00"
    assert r.json()["requested_on"] == "1000000.00"
    assert "1300000.00" in r.json()["detail"]
    assert await _approved(api, case) == "1300000.00"
    # C is refused at the bureau's agreeing disposal already; disagreeing still closes it.
    r = await _dispose(api, c)
    assert r.status_code == 409 and r.json()["current_approved_total"] == "1300000.00"
    r = await _dispose(api, c, {"agree": False, "opinion": "基数已变更, 请重新申请"})
    assert r.status_code == 200 and r.json()["status"] == "refused"
    r = await _decide(api, b, {"agree": False, "opinion": "请按现批复总投资重新申请"})
    assert r.status_code == 200 and r.json()["status"] == "refused"

    # Refiled on the current base, it goes through.
    again = await _request(api, unit, case, "200000.00", "1500000.00")
    assert again["approved_total"] == "1300000.00"
    assert (await _dispose(api, again)).status_code == 200
    assert (await _decide(api, again)).status_code == 200
    assert await _approved(api, case) == "1500000.00"


async def test_two_decisions_at_once_approve_one(review_for):
    """Both decided at the same moment on the same base: one is approved, the other refused
    on the base the first left."""
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await approved_case(api)
    a = await _request(api, unit, case, "300000.00", "1300000.00")
    b = await _request(api, unit, case, "200000.00", "1200000.00")
    for change in (a, b):
        assert (await _dispose(api, change)).status_code == 200
    ra, rb = await asyncio.gather(_decide(api, a), _decide(api, b))
    codes = sorted([ra.status_code, rb.status_code])
    assert codes == [200, 409], (ra.text, rb.text)
    won, lost = (ra, rb) if ra.status_code == 200 else (rb, ra)
    assert await _approved(api, case) == won.json()["new_total"]
    # The later one queued on the case's row and saw the new base: the stale-base refusal, not
    # a "retry" (which, sent again, would have replaced the first approval).
    assert lost.json()["current_approved_total"] == won.json()["new_total"], lost.text
