"""The portfolio: the risk rating's edges, and the view over REST with its CSV export."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update

from govit.audit.v1 import events_pb2 as audit_events
from govit.common.v1 import common_pb2
from govit.intake.v1 import events_pb2 as intake_events
from govit_kit.convert import to_money
from govit_kit.db import utcnow
from govit_kit.testing import counted_statements, publish_event, wait_until
from review.portfolio.rules import Signals, risk_level, risk_rating
from review.rectification.models import RectificationOrder


@pytest.mark.parametrize(
    ("signals", "rating", "level"),
    [
        (Signals(None, 0, 0, 0, 0), 5, "low"),
        (Signals(Decimal("0.0999"), 0, 0, 0, 0), 5, "low"),
        (Signals(Decimal("0.10"), 0, 0, 0, 0), 4, "low"),
        (Signals(Decimal("-0.30"), 0, 0, 0, 0), 3, "medium"),
        (Signals(None, 1, 1, 0, 0), 3, "medium"),
        (Signals(None, 0, 1, 1, 0), 3, "medium"),
        (Signals(Decimal("0.30"), 3, 2, 1, 2), 1, "high"),
        (Signals(None, 0, 0, 0, 0, met_late=1), 4, "low"),  # a deadline met late
        (Signals(None, 0, 0, 0, 0, delays=1), 4, "low"),  # a delay filed (F3)
        (Signals(None, 0, 0, 0, 0, open_findings=2), 4, "low"),  # open audit findings
        (Signals(None, 1, 1, 0, 0, met_late=1, open_findings=1), 1, "high"),
    ],
)
def test_risk_rating(signals, rating, level):
    got, reasons = risk_rating(signals)
    assert (got, risk_level(got)) == (rating, level)
    assert bool(reasons) is (rating < 5)


async def test_portfolio_view_and_export(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
    await api.open_case("p-calm0", "org-c", "100000.00")  # first in the list, low risk
    risky = await api.open_case("p-risky", "org-a", "400000.00", name="高风险项目")
    await api.declare(risky["id"], unit)
    await api.joint_review(risky["id"], await api.draw_expert(risky["id"], "ed"))
    approve = {"conclusion": "approve", "reason": "同意"}
    url = f"/v1/cases/{risky['id']}"
    assert (
        await api.call("POST", f"{url}/conclusion", api.reviewer, json=approve)
    ).status_code == 200
    step = {"document_number": "遂发改〔2026〕1号", "approved_amount": "400000.00"}
    assert (await api.call("POST", f"{url}/ndrc-approval", api.ndrc, json=step)).status_code == 201
    # An approved adjustment raises the total by 30% (F2: bureau, then the approver).
    r = await api.call(
        "POST",
        f"{url}/changes",
        unit,
        json={
            "kind": "adjustment",
            "description": "扩容",
            "reason": "business_development",
            "amount_adjusted": "120000.00",
            "new_total": "520000.00",
        },
    )
    change = r.json()
    ok = {"agree": True, "opinion": "同意"}
    await api.call("POST", f"/v1/changes/{change['id']}/disposal", api.reviewer, json=ok)
    await api.call("POST", f"/v1/changes/{change['id']}/decision", api.ndrc, json=ok)
    r = await api.call(
        "POST",
        "/v1/rectifications",
        api.reviewer,
        json={
            "case_id": risky["id"],
            "finding": "crypto",
            "description": "密评未通过",
            "due_working_days": 5,
        },
    )
    assert r.status_code == 201
    crypto = r.json()
    # A first order, resolved two days after its deadline: a deadline met late.
    r = await api.call(
        "POST",
        "/v1/rectifications",
        api.reviewer,
        json={
            "case_id": risky["id"],
            "finding": "other",
            "description": "材料不全",
            "due_working_days": 5,
        },
    )
    late = r.json()["id"]
    async with api.service.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(RectificationOrder)
            .where(RectificationOrder.id == late)
            .values(due_at=utcnow() - timedelta(days=2, hours=1))
        )
    r = await api.call(
        "POST", f"/v1/rectifications/{late}/resolution", api.reviewer, json={"note": "已补"}
    )
    assert r.status_code == 200, r.text
    # A delay filed (F3).
    r = await api.call(
        "POST", f"{url}/changes", unit, json={"kind": "delay", "description": "延期两个月"}
    )
    assert r.status_code == 201, r.text
    await api.open_case("p-calm", "org-b", "100000.00")

    rows = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
    by_project = {r["project_id"]: r for r in rows}
    got = by_project["p-risky"]
    # Cost: the approved adjustment (+120,000.00) against the first approved estimate.
    assert (got["planned_cost"], got["current_cost"], got["cost_variance"]) == (
        "400000.00",
        "520000.00",
        "0.3000",
    )
    assert "no actual spending" in got["cost_basis"]
    assert (got["rating"], got["risk"]) == (1, "high")
    assert got["stage"] == "ndrc_approval"
    assert got["open_orders"] == 1 and got["next_deadline"] == crypto["due_at"]
    assert (got["deadlines_missed"], got["days_late"], got["delays"]) == (1, 2, 1)
    assert any(
        r.startswith("schedule slipped: 1 deadline(s) met late, 1 delay") for r in got["reasons"]
    )
    calm = by_project["p-calm"]
    assert (calm["rating"], calm["stage"], calm["cost_variance"]) == (5, "open", None)

    # Audit raises a finding on p-calm: it counts until audit resolves it.
    finding = audit_events.FindingRaised(
        finding_id="f-1",
        check="funds-before-review",
        rule=common_pb2.RuleRef(rule_id="I1", article="XY art7"),
        summary="funds before review",
        project_id="p-calm",
        org_id="org-b",
    )
    await publish_event(
        api.space, "audit", "finding", "raised", finding, subject="f-1", project_id="p-calm"
    )

    async def calm_row():
        rows = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
        return next(r for r in rows if r["project_id"] == "p-calm")

    async def findings(n):
        row = await calm_row()
        return row if row["open_findings"] == n else None

    row = await wait_until(lambda: findings(1))
    assert row["rating"] == 4 and "1 open audit finding(s)" in row["reasons"]
    resolved = audit_events.FindingResolved(
        finding_id="f-1", check="funds-before-review", project_id="p-calm", org_id="org-b"
    )
    await publish_event(
        api.space, "audit", "finding", "resolved", resolved, subject="f-1", project_id="p-calm"
    )
    assert (await wait_until(lambda: findings(0)))["rating"] == 5

    # max_rating filters before paging: the high-risk project is found although the first
    # case in the list is a calm one, and the cursor pages the filtered rows.
    high = (await api.call("GET", "/v1/portfolio", api.reviewer, params={"max_rating": 2})).json()
    assert [r["project_id"] for r in high["items"]] == ["p-risky"]
    one = {"max_rating": 5, "limit": 1}
    page1 = (await api.call("GET", "/v1/portfolio", api.reviewer, params=one)).json()
    page2 = (
        await api.call(
            "GET", "/v1/portfolio", api.reviewer, params=one | {"cursor": page1["next_cursor"]}
        )
    ).json()
    assert [r["project_id"] for r in page1["items"] + page2["items"]] == ["p-calm0", "p-risky"]
    r = await api.call("GET", "/v1/portfolio", api.reviewer, params={"max_rating": 2, "limit": 1})
    assert [i["project_id"] for i in r.json()["items"]] == ["p-risky"]
    assert r.json()["next_cursor"] is None
    # A unit sees its own projects only; an expert has no portfolio.
    assert [
        r["project_id"] for r in (await api.call("GET", "/v1/portfolio", unit)).json()["items"]
    ] == ["p-risky"]
    expert = api.token("ed", "org-univ", "expert")
    assert (await api.call("GET", "/v1/portfolio", expert)).status_code == 403

    r = await api.call("GET", "/v1/portfolio.csv", api.reviewer)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    exported = list(csv.DictReader(io.StringIO(r.text)))
    assert {e["project_id"]: e["rating"] for e in exported} == {
        "p-calm0": "5",
        "p-risky": "1",
        "p-calm": "5",
    }

    # Intake reports p-calm0's actual cost and end date: actual vs planned replaces the approvals.
    reported = intake_events.ProjectActualsReported(
        project_id="p-calm0",
        org_id="org-c",
        planned_cost=to_money(Decimal("100000.00")),
        planned_end="2026-06-30",
        actual_cost=to_money(Decimal("115000.00")),
        actual_end="2026-07-10",
    )
    await publish_event(
        api.space,
        "intake",
        "project",
        "actuals_reported",
        reported,
        subject="p-calm0",
        project_id="p-calm0",
    )

    async def calm0():
        rows = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
        row = next(r for r in rows if r["project_id"] == "p-calm0")
        return row if row["end_slip_days"] is not None else None

    row = await wait_until(calm0)
    assert (row["planned_cost"], row["current_cost"], row["cost_variance"]) == (
        "100000.00",
        "115000.00",
        "0.1500",
    )
    assert row["cost_basis"].startswith("actual vs planned") and row["end_slip_days"] == 10
    assert row["rating"] == 3  # cost variance >= 10%, and the end slipped


async def test_the_whole_portfolio_names_its_cases_by_query_not_by_a_list_of_ids(review_for):
    # With max_rating and in the CSV every visible case is rated: the orders, evaluations and
    # the rest of those cases are read through the same filter, not an IN list of every case's
    # id (asyncpg takes at most 32,767 parameters), so neither the queries nor their parameters
    # grow with the cases; each case still gets its own orders and evaluations.
    from sqlalchemy import text

    api = await review_for("suining")
    engine = api.service.runtime.db.engine

    async def seed(first, count):
        async with api.service.runtime.db.unit_of_work() as uow:
            n = {"first": first, "last": first + count - 1}
            await uow.session.execute(
                text(
                    "INSERT INTO review_case(id, project_id, org_id, project_name,"
                    " total_investment, track, decisions, attributes, round, chain_stage,"
                    " approved_investment, status, opened_at, version)"
                    " SELECT 'case-'||g, 'proj-'||g, 'org-'||(g % 7), 'p', 450000, 'technical',"
                    " '[]', '{}', 1, 'ndrc_approval', 450000, 'approved',"
                    " now() + (g||' minutes')::interval, 1 FROM generate_series(CAST(:first AS int), CAST(:last AS int)) g"
                ),
                n,
            )
            await uow.session.execute(  # an open order, past due, on every even case
                text(
                    "INSERT INTO rectification_order(id, case_id, project_id, org_id, finding,"
                    " description, security, due_working_days, due_at, status, level,"
                    " escalations, decisions, issued_by, issued_at, version)"
                    " SELECT 'ord-'||g, 'case-'||g, 'proj-'||g, 'org-'||(g % 7), 'other', 'd',"
                    " false, 10, now() - interval '3 days', 'open', 0, '[]', '[]', 'x',"
                    " now() - interval '20 days', 1"
                    " FROM generate_series(CAST(:first AS int), CAST(:last AS int)) g WHERE g % 2 = 0"
                ),
                n,
            )

    async def whole_portfolio():
        with counted_statements(engine, ignore=("outbox", "inbox")) as ran:
            r = await api.call("GET", "/v1/portfolio", api.reviewer, params={"max_rating": 5})
            assert r.status_code == 200, r.text
            csv_ = await api.call("GET", "/v1/portfolio.csv", api.reviewer)
            assert csv_.status_code == 200, csv_.text
        rows = list(csv.DictReader(io.StringIO(csv_.text)))
        assert {r["case_id"]: r["open_orders"] for r in rows} == {
            f"case-{g}": "1" if g % 2 == 0 else "0" for g in range(len(rows))
        }
        assert {r["case_id"]: r["overdue_items"] for r in rows} == {
            r["case_id"]: r["open_orders"] for r in rows
        }
        return len(rows), ran.count, ran.most_arguments

    async def fewest():
        # The service's own sweeps may run a statement inside a block now and then (they start
        # with it): of two calls, the one with fewer statements is the request's alone.
        runs = [await whole_portfolio(), await whole_portfolio()]
        return min(runs, key=lambda run: run[1])

    await seed(0, 3)
    cases, queries, parameters = await fewest()
    assert cases == 3
    await seed(3, 40)
    cases, more_queries, more_parameters = await fewest()
    assert cases == 43
    assert (more_queries, more_parameters) == (queries, parameters)
