"""The portfolio: the risk rating's edges, and the view over REST with its CSV export."""

import csv
import io
from decimal import Decimal

import pytest

from review.portfolio.rules import Signals, risk_level, risk_rating


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
    ],
)
def test_risk_rating(signals, rating, level):
    got, reasons = risk_rating(signals)
    assert (got, risk_level(got)) == (rating, level)
    assert bool(reasons) is (rating < 5)


async def test_portfolio_view_and_export(review_for):
    api = await review_for("suining")
    unit = api.token("alice", "org-a", "unit_staff")
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
    await api.open_case("p-calm", "org-b", "100000.00")

    rows = (await api.call("GET", "/v1/portfolio", api.reviewer)).json()["items"]
    by_project = {r["project_id"]: r for r in rows}
    assert by_project["p-risky"]["cost_variance"] == "0.3000"
    assert (by_project["p-risky"]["rating"], by_project["p-risky"]["risk"]) == (1, "high")
    assert by_project["p-risky"]["stage"] == "ndrc_approval"
    assert by_project["p-risky"]["open_orders"] == 1 and by_project["p-risky"]["next_deadline"]
    assert (by_project["p-calm"]["rating"], by_project["p-calm"]["stage"]) == (5, "open")
    high = (await api.call("GET", "/v1/portfolio", api.reviewer, params={"max_rating": 2})).json()
    assert [r["project_id"] for r in high["items"]] == ["p-risky"]
    # A unit sees its own projects only; an expert has no portfolio.
    assert [
        r["project_id"] for r in (await api.call("GET", "/v1/portfolio", unit)).json()["items"]
    ] == ["p-risky"]
    expert = api.token("ed", "org-univ", "expert")
    assert (await api.call("GET", "/v1/portfolio", expert)).status_code == 403

    r = await api.call("GET", "/v1/portfolio.csv", api.reviewer)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    exported = list(csv.DictReader(io.StringIO(r.text)))
    assert {e["project_id"]: e["rating"] for e in exported} == {"p-risky": "1", "p-calm": "5"}
