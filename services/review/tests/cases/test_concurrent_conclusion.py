"""A D5 ground raised while the case is concluded, on PostgreSQL: the approval either sees the
ground (and is refused) or comes first (and the ground is refused: the case is not open)."""

import asyncio


async def test_approval_never_passes_a_ground_raised_concurrently(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    rita2 = api.token("rita2", "org-data-bureau", "bureau_reviewer")
    vague = {"ground": "unclear_needs_or_goals", "reason": "绩效目标不可量化"}
    approve = {"conclusion": "approve", "reason": "ok"}
    for t in range(6):
        case = await api.open_case(f"px{t}", "org-a", "450000.00")
        url = f"/v1/cases/{case['id']}"
        await api.declare(case["id"], unit)
        if t == 0:
            expert = await api.draw_expert(case["id"], "ed")
        else:
            body = {"specialty": "it", "count": 1}
            r = await api.call("POST", f"{url}/draws", api.reviewer, json=body)
            assert r.status_code == 201, r.text
        await api.joint_review(case["id"], expert)
        concluded, raised = await asyncio.gather(
            api.call("POST", f"{url}/conclusion", api.reviewer, json=approve),
            api.call("POST", f"{url}/pre-checks", rita2, json=vague),
        )
        pair = (concluded.status_code, raised.status_code)
        assert pair in {(200, 409), (422, 201)}, (concluded.text, raised.text)
        if pair == (422, 201):
            assert "D5" in concluded.text, concluded.text
        else:
            assert "grounds are raised on an open case" in raised.text, raised.text
