"""F4 suspension and F5 termination over REST in suining: a suspended case takes no chain step,
change or acceptance until the bureau lifts it; an approved termination ends the case."""

import pytest

from govit_kit.policy import Outcome, load_profile
from review.cases.rules import suspension


async def approved_case(api, project_id: str) -> dict:
    """A suining case declared, jointly reviewed, approved and approved by the NDRC."""
    case = await api.open_case(project_id, "org-a", "500000.00")
    await api.declare(case["id"])
    await api.joint_review(case["id"], await api.draw_expert(case["id"], f"ed-{project_id}"))
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={"conclusion": "approve", "reason": "同意"}
    )
    assert r.status_code == 200, r.text
    step = {"document_number": "遂发改审批〔2026〕9号", "approved_amount": "500000.00"}
    assert (await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)).status_code == 201
    return case


async def test_suspension_halts_the_case_until_lifted_and_termination_ends_it(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await approved_case(api, "p-susp")
    url = f"/v1/cases/{case['id']}"
    reason = {"reason": "工程严重逾期六个月"}

    assert (await api.call("POST", f"{url}/suspension", unit, json=reason)).status_code == 403
    r = await api.call("POST", f"{url}/suspension", api.reviewer, json={"reason": " "})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = await api.call("POST", f"{url}/suspension", api.reviewer, json=reason)
    assert r.status_code == 201, r.text
    [f4] = r.json()["decisions"]
    assert (f4["rule_id"], f4["article"], f4["outcome"]) == ("F4", "SN P art31", "hold")
    assert (await api.call("GET", url, unit)).json()["status"] == "suspended"
    r = await api.call("POST", f"{url}/suspension", api.reviewer, json=reason)
    assert r.status_code == 409 and r.json()["state"] == "suspended"

    # Suspended: no chain step, no change, no acceptance; each 409 names the state.
    review_step = {"document_number": "遂财评〔2026〕1号", "approved_amount": "500000.00"}
    change = {"kind": "delay", "description": "延期三个月"}
    acceptance = {"stage": "single", "accepted_on": "2026-01-05"}
    for path, token, body in (
        (f"{url}/investment-review", api.finance, review_step),
        (f"{url}/changes", unit, change),
        (f"{url}/acceptances", api.reviewer, acceptance),
    ):
        r = await api.call("POST", path, token, json=body)
        assert r.status_code == 409 and r.json()["state"] == "suspended", (path, r.text)
        assert "suspended" in r.json()["detail"]

    # A suspended project may still ask to terminate (F5); here the bureau disagrees.
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "termination", "description": "拟终止"}
    )
    assert r.status_code == 201, r.text
    no = {"agree": False, "opinion": "继续整改"}
    r = await api.call("POST", f"/v1/changes/{r.json()['id']}/disposal", api.reviewer, json=no)
    assert r.status_code == 200 and r.json()["status"] == "refused"

    # The bureau lifts it: the chain goes on.
    lift = f"{url}/suspension/lift"
    assert (await api.call("POST", lift, unit, json={"note": "x"})).status_code == 403
    r = await api.call("POST", lift, api.reviewer, json={"note": "已整改,恢复建设"})
    assert r.status_code == 200 and r.json()["lifted_by"] == "rita"
    assert (await api.call("POST", lift, api.reviewer, json={"note": "x"})).status_code == 409
    r = await api.call("POST", f"{url}/investment-review", api.finance, json=review_step)
    assert r.status_code == 201, r.text

    # F5: termination goes through the bureau's opinion and the approver, then ends the case.
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "termination", "description": "外部环境变化"}
    )
    assert r.status_code == 201 and r.json()["decisions"][0]["article"] == "SN P art31"
    term = r.json()["id"]
    ok = {"agree": True, "opinion": "同意终止"}
    assert (
        await api.call("POST", f"/v1/changes/{term}/disposal", api.reviewer, json=ok)
    ).status_code == 200
    assert (await api.call("GET", url, unit)).json()["status"] == "concluded"  # not yet
    r = await api.call("POST", f"/v1/changes/{term}/decision", api.ndrc, json=ok)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert (await api.call("GET", url, unit)).json()["status"] == "terminated"
    r = await api.call("POST", f"{url}/changes", unit, json=change)
    assert r.status_code == 409 and r.json()["state"] == "terminated"
    r = await api.call("POST", f"{url}/suspension", api.reviewer, json=reason)
    assert r.status_code == 409 and r.json()["state"] == "terminated"

    types = [t for t in await api.event_types() if t.startswith("govit.review.case.")]
    assert types[-3:] == [
        "govit.review.case.suspended",
        "govit.review.case.suspension_lifted",
        "govit.review.case.terminated",
    ]


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("suining", ("F4", "SN P art31")),
        ("yunyang", ("F4", "YY art22")),
        ("pingdingshan", None),  # no F4: the bureau orders no suspension (409)
        ("wuhai", None),
        ("xianyang", None),
    ],
)
def test_suspension_rests_on_f4(profile, expected):
    got = suspension(load_profile(profile))
    assert (got and (got.rule_id, got.article, got.outcome)) == (
        expected and (*expected, Outcome.HOLD)
    )


async def test_the_rectification_ladder_suspends_then_terminates_the_project(review_for):
    """J1 (SN P art37): an order left overdue climbs 通报批评, 暂缓安排投资计划, then 暂停项目建设
    suspends the approved case (as F4 does, citing J1) and 终止 terminates it."""
    from datetime import timedelta

    from sqlalchemy import update

    from govit_kit.db import utcnow
    from review.rectification.models import RectificationOrder

    async def make_overdue(api, order_id):
        async with api.service.runtime.db.unit_of_work() as uow:
            await uow.session.execute(
                update(RectificationOrder)
                .where(RectificationOrder.id == order_id)
                .values(due_at=utcnow() - timedelta(seconds=1))
            )

    api = await review_for("suining")
    case = await approved_case(api, "p-ladder")
    url = f"/v1/cases/{case['id']}"
    body = {"case_id": case["id"], "finding": "not_sharing_data", "description": "未接入共享平台"}
    r = await api.call(
        "POST", "/v1/rectifications", api.reviewer, json={**body, "due_working_days": 3}
    )
    assert r.status_code == 201, r.text
    order = r.json()
    sweep = "/v1/rectifications/escalations"
    statuses = []
    for _ in range(4):
        await make_overdue(api, order["id"])
        [escalated] = (await api.call("POST", sweep, api.reviewer)).json()
        statuses.append(
            (
                escalated["escalations"][-1]["sanction"],
                (await api.call("GET", url, api.reviewer)).json()["status"],
            )
        )
    assert statuses == [
        ("notice_of_criticism", "concluded"),
        ("investment_deferred", "concluded"),
        ("construction_suspended", "suspended"),
        ("terminated", "terminated"),
    ]
    types = [t for t in await api.event_types() if t.startswith("govit.review.case.")]
    assert types[-2:] == ["govit.review.case.suspended", "govit.review.case.terminated"]
