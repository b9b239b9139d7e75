"""F6 over REST in yunyang (YY art21: 在建设期内每年年底前…提交): the unit reports each year of
construction; the sweep flags, once, a project under construction with no report for a year
from 1 January 00:00 China time (31 December 23:59:59 is not late)."""

from datetime import UTC, datetime

from sqlalchemy import update

from govit_kit.policy import SHANGHAI
from review.cases.models import ReviewCase
from review.progress import flows as progress_flows
from review.scheduled import sweep

LAST_SECOND = datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI).astimezone(UTC)
NEW_YEAR = datetime(2027, 1, 1, 0, 0, 0, tzinfo=SHANGHAI).astimezone(UTC)


async def approved_case(api, project_id: str) -> dict:
    case = await api.open_case(project_id, "org-a", "1000000.00")
    await api.declare(case["id"])
    await api.draw_expert(case["id"], f"ed-{project_id}")
    # Whoever the draw picked from the pool (an earlier case's expert too) gives the opinion.
    [drawn] = (await api.call("GET", f"/v1/cases/{case['id']}/assignments", api.reviewer)).json()
    expert = api.token(drawn["subject"], "org-univ", "expert")
    assert (await api.opinion(case["id"], expert, ["technical_route"])).status_code == 201
    url = f"/v1/cases/{case['id']}"
    r = await api.call(
        "POST", f"{url}/conclusion", api.reviewer, json={"conclusion": "approve", "reason": "同意"}
    )
    assert r.status_code == 200, r.text
    step = {"document_number": "云发改〔2026〕1号", "approved_amount": "1000000.00"}
    assert (await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)).status_code == 201
    return case


REPORT = {"progress": "完成需求分析和开发", "investment_execution": "已支付40%"}


async def test_yunyang_yearly_report_and_the_new_year_flag(review_for, monkeypatch):
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    silent = await approved_case(api, "p-f6-silent")
    diligent = await approved_case(api, "p-f6-diligent")
    pending = await api.open_case("p-f6-pending", "org-a", "300000.00")  # not approved
    # Construction began in March 2026 for both.
    async with api.service.runtime.db.sessions() as session:
        await session.execute(
            update(ReviewCase)
            .where(ReviewCase.id.in_([silent["id"], diligent["id"]]))
            .values(concluded_at=datetime(2026, 3, 1, 2, tzinfo=UTC))
        )
        await session.commit()

    clock = {"now": LAST_SECOND}
    monkeypatch.setattr(progress_flows, "utcnow", lambda: clock["now"])
    url = f"/v1/cases/{diligent['id']}/progress-reports"
    # The unit reports 2026 in its last second; not for a year before construction or to come.
    for year in (2025, 2027):
        r = await api.call("POST", url, unit, json={**REPORT, "year": year})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "year", r.text
    assert (await api.call("POST", url, other, json={**REPORT, "year": 2026})).status_code == 404
    r = await api.call("POST", url, api.reviewer, json={**REPORT, "year": 2026})
    assert r.status_code == 403
    r = await api.call("POST", url, unit, json={**REPORT, "year": 2026})
    assert r.status_code == 201, r.text
    [d] = r.json()["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"], d["figures"]["late"]) == (
        "F6",
        "YY art21",
        "allow",
        False,
    )
    r = await api.call("POST", url, unit, json={**REPORT, "year": 2026})
    assert r.status_code == 409 and r.json()["state"] == "submitted"
    pending_url = f"/v1/cases/{pending['id']}/progress-reports"
    assert (
        await api.call("POST", pending_url, unit, json={**REPORT, "year": 2026})
    ).status_code == 409

    # 31 December 23:59:59 in China: nothing is late yet.
    assert await sweep(api.service.runtime) == (0, 0, 0)
    # 1 January 00:00: the silent project is flagged for 2026, once; the diligent one is not.
    clock["now"] = NEW_YEAR
    assert await sweep(api.service.runtime) == (0, 0, 1)
    assert await sweep(api.service.runtime) == (0, 0, 0)
    silent_url = f"/v1/cases/{silent['id']}/progress-reports"
    [flag] = (await api.call("GET", silent_url, unit)).json()
    assert (flag["year"], flag["status"]) == (2026, "overdue") and flag["overdue_flagged_at"]
    assert [(d["rule_id"], d["article"], d["outcome"]) for d in flag["decisions"]] == [
        ("F6", "YY art21", "flag")
    ]
    assert (await api.call("GET", silent_url, other)).status_code == 404
    # The late report fills the flagged year; the flag stays in its record.
    r = await api.call("POST", silent_url, unit, json={**REPORT, "year": 2026})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "submitted"
    assert [(d["outcome"], d["figures"].get("late")) for d in r.json()["decisions"]] == [
        ("flag", None),
        ("allow", True),
    ]
    types = [t for t in await api.event_types() if t.startswith("govit.review.progress_report.")]
    assert types == [
        "govit.review.progress_report.submitted",
        "govit.review.progress_report.overdue",
        "govit.review.progress_report.submitted",
    ]


async def test_no_yearly_report_where_the_profile_has_no_f6(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    case = await api.open_case("p-f6-sn", "org-a", "500000.00")
    r = await api.call(
        "POST", f"/v1/cases/{case['id']}/progress-reports", unit, json={**REPORT, "year": 2026}
    )
    assert r.status_code == 409 and r.json()["rule_id"] == "F6", r.text
