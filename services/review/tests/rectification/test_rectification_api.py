"""Rectification over REST: an order with a working-day deadline, the J1 ladder when overdue,
and J3: an open security order bars the unit's new projects until resolved."""

from datetime import timedelta

import grpc
import pytest
from sqlalchemy import select, update

from govit.review.v1 import review_service_pb2 as pb
from govit.review.v1 import review_service_pb2_grpc as pb_grpc
from govit_kit.db import utcnow
from govit_kit.policy import CalendarYearUnknown
from review.rectification.models import RectificationOrder


def unknown_after(monkeypatch, calendar, n: int) -> None:
    """Make deadlines of n or more working days fall in a year no calendar covers (2101)."""
    add = calendar.add_working_days

    def add_working_days(start, days):
        if days >= n:
            raise CalendarYearUnknown(2101)
        return add(start, days)

    monkeypatch.setattr(calendar, "add_working_days", add_working_days)


async def make_overdue(api, order_id):
    async with api.service.runtime.db.unit_of_work() as uow:
        await uow.session.execute(
            update(RectificationOrder)
            .where(RectificationOrder.id == order_id)
            .values(due_at=utcnow() - timedelta(seconds=1))
        )


async def test_security_order_escalates_and_bars_new_projects(review_for, monkeypatch):
    api = await review_for("yunyang")
    unit = api.token("alice", "org-a", "unit_staff")
    other = api.token("bob", "org-b", "unit_staff")
    case = await api.open_case("p-old", "org-a", "300000.00")
    body = {
        "case_id": case["id"],
        "finding": "security",
        "description": "等保测评未通过",
        "due_working_days": 10,
    }
    assert (await api.call("POST", "/v1/rectifications", unit, json=body)).status_code == 403
    # A deadline in a year no calendar covers is not guessed; the platform lacks the calendar, so
    # it is the kit's 503 naming the year, not a 422 blaming the caller's due_working_days.
    unknown_after(monkeypatch, api.service.runtime.calendar, 250)
    r = await api.call(
        "POST", "/v1/rectifications", api.reviewer, json={**body, "due_working_days": 250}
    )
    assert r.status_code == 503 and r.json()["type"] == "/problems/calendar-year-unknown"
    assert r.json()["year"] == 2101 and "calendar_overrides" in r.json()["detail"]
    monkeypatch.undo()
    r = await api.call("POST", "/v1/rectifications", api.reviewer, json=body)
    assert r.status_code == 201, r.text
    order = r.json()
    assert [(d["rule_id"], d["article"]) for d in order["decisions"]] == [
        ("J1", "YY art32"),
        ("J3", "YY art29"),
    ]
    # Yunyang has no I4: the order does not ask finance to hold payments; J3 bars the unit.
    from govit.review.v1 import events_pb2

    outbox = api.service.runtime.db.tables.outbox
    async with api.service.runtime.db.sessions() as session:
        [payload] = (
            await session.scalars(
                select(outbox.c.payload).where(
                    outbox.c.event_type == "govit.review.rectification.issued"
                )
            )
        ).all()
    issued_event = events_pb2.RectificationIssued.FromString(payload)
    assert (issued_event.hold_payments, issued_event.blocks_new_projects) == (False, True)
    cal = api.service.runtime.calendar
    from datetime import datetime

    issued = datetime.fromisoformat(order["issued_at"])
    assert cal.working_days_between(issued, datetime.fromisoformat(order["due_at"])) == 10

    # J3: org A is barred; org B may not even look.
    r = await api.call("GET", "/v1/units/org-a/standing", unit)
    assert r.json()["blocked"] is True and r.json()["decisions"][0]["rule_id"] == "J3"
    assert (await api.call("GET", "/v1/units/org-a/standing", other)).status_code == 404
    assert (await api.call("GET", f"/v1/rectifications/{order['id']}", other)).status_code == 404
    assert (await api.call("GET", "/v1/rectifications", other)).json()["items"] == []

    # The same over gRPC, for intake to ask before accepting a new application.
    async with grpc.aio.insecure_channel(f"127.0.0.1:{api.service.grpc_port}") as ch:
        stub = pb_grpc.ReviewServiceStub(ch)
        resp = await stub.GetUnitStanding(
            pb.GetUnitStandingRequest(org_id="org-a"),
            metadata=[("authorization", f"Bearer {unit}")],
        )
        assert (resp.blocked, resp.open_security_orders) == (True, 1)
        assert (resp.decisions[0].rule_id, resp.decisions[0].article) == ("J3", "YY art29")
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await stub.GetUnitStanding(
                pb.GetUnitStandingRequest(org_id="org-a"),
                metadata=[("authorization", f"Bearer {other}")],
            )
        assert err.value.code() == grpc.StatusCode.NOT_FOUND

    # A new project of org A cannot be approved while the order is open.
    new = await api.open_case("p-new", "org-a", "200000.00")
    expert = await api.draw_expert(new["id"], "ed")
    assert (await api.opinion(new["id"], expert, ["technical_route"])).status_code == 201
    approve = {"conclusion": "approve", "reason": "同意"}
    r = await api.call("POST", f"/v1/cases/{new['id']}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 422 and [d["rule_id"] for d in r.json()["decisions"]] == ["J3"]

    # Not overdue: nothing escalates. Overdue: one step, and a new deadline before the next.
    sweep = "/v1/rectifications/escalations"
    assert (await api.call("POST", sweep, api.reviewer)).json() == []
    await make_overdue(api, order["id"])
    [escalated] = (await api.call("POST", sweep, api.reviewer)).json()
    assert escalated["level"] == 1
    assert escalated["escalations"][0]["sanction"] == "notice_of_criticism"
    assert (await api.call("POST", sweep, api.reviewer)).json() == []
    await make_overdue(api, order["id"])
    [escalated] = (await api.call("POST", sweep, api.reviewer)).json()
    assert [e["sanction"] for e in escalated["escalations"]] == [
        "notice_of_criticism",
        "investment_deferred",
    ]

    # Resolved: the bar lifts and the new project can be approved.
    r = await api.call(
        "POST",
        f"/v1/rectifications/{order['id']}/resolution",
        api.reviewer,
        json={"note": "已整改"},
    )
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert (await api.call("GET", "/v1/units/org-a/standing", unit)).json()["blocked"] is False
    r = await api.call("POST", f"/v1/cases/{new['id']}/conclusion", api.reviewer, json=approve)
    assert r.status_code == 200
    types = await api.event_types()
    assert [t for t in types if ".rectification." in t] == [
        "govit.review.rectification.issued",
        "govit.review.rectification.escalated",
        "govit.review.rectification.escalated",
        "govit.review.rectification.resolved",
    ]


async def test_the_background_sweep_escalates_overdue_orders(review_for):
    from govit_kit.testing import wait_until

    api = await review_for("suining", review_sweep_interval_s=0.2)
    case = await api.open_case("p-s", "org-a", "300000.00")
    r = await api.call(
        "POST",
        "/v1/rectifications",
        api.reviewer,
        json={
            "case_id": case["id"],
            "finding": "not_sharing_data",
            "description": "未接入共享平台",
            "due_working_days": 3,
        },
    )
    order = r.json()
    assert [d["article"] for d in order["decisions"]] == ["SN P art37"]
    await make_overdue(api, order["id"])

    async def escalated():
        r = await api.call("GET", f"/v1/rectifications/{order['id']}", api.reviewer)
        return r.json()["escalations"] or None

    [step] = await wait_until(escalated)
    assert (step["sanction"], step["by"]) == ("notice_of_criticism", "service:review")


async def test_an_overdue_order_does_not_escalate_where_j1_does_not_apply(review_for):
    # Wuhai orders rectification (J2) and holds payments while it is open (I4), but has no
    # ladder: the sweep neither criticises, defers, suspends nor terminates the project.
    api = await review_for("wuhai")
    case = await api.open_case("p-w", "org-a", "300000.00")
    r = await api.call(
        "POST",
        "/v1/rectifications",
        api.reviewer,
        json={
            "case_id": case["id"],
            "finding": "security",
            "description": "等保测评未通过",
            "due_working_days": 3,
        },
    )
    assert r.status_code == 201, r.text
    order = r.json()
    for _ in range(5):
        await make_overdue(api, order["id"])
        assert (await api.call("POST", "/v1/rectifications/escalations", api.reviewer)).json() == []
    r = await api.call("GET", f"/v1/rectifications/{order['id']}", api.reviewer)
    assert (r.json()["status"], r.json()["level"], r.json()["escalations"]) == ("open", 0, [])
    r = await api.call("GET", f"/v1/cases/{case['id']}", api.reviewer)
    assert r.json()["status"] not in ("suspended", "terminated"), r.json()["status"]
    assert not [t for t in await api.event_types() if t.endswith("rectification.escalated")]


async def test_an_order_that_cannot_be_escalated_is_loud_and_retried(
    review_for, monkeypatch, caplog
):
    from prometheus_client import REGISTRY

    from review.scheduled import sweep

    api = await review_for("suining")
    case = await api.open_case("p-c", "org-a", "300000.00")
    orders = []
    for days in (3, 30):
        body = {
            "case_id": case["id"],
            "finding": "not_sharing_data",
            "description": "未接入共享平台",
            "due_working_days": days,
        }
        r = await api.call("POST", "/v1/rectifications", api.reviewer, json=body)
        assert r.status_code == 201, r.text
        orders.append(r.json()["id"])
        await make_overdue(api, orders[-1])
    short, long = orders

    def level(order_id):
        return api.call("GET", f"/v1/rectifications/{order_id}", api.reviewer)

    def blocked():
        return REGISTRY.get_sample_value(
            "govit_rectification_escalations_blocked", {"service": "review"}
        )

    # The long order's next deadline falls in a year no calendar covers: its sanction is due but
    # cannot be applied without a deadline for the next step. The short one still climbs; the
    # bureau hears a 503 naming the year, the log an error, the gauge counts it.
    rt = api.service.runtime
    unknown_after(monkeypatch, rt.calendar, 30)
    caplog.set_level("ERROR", logger="review.rectification.flows")
    r = await api.call("POST", "/v1/rectifications/escalations", api.reviewer)
    assert r.status_code == 503 and r.json()["year"] == 2101
    assert (await level(short)).json()["level"] == 1
    assert (await level(long)).json()["level"] == 0
    assert blocked() == 1
    assert any(long in rec.getMessage() and "2101" in rec.getMessage() for rec in caplog.records)
    # The background sweep retries it every round, and says so each time.
    caplog.clear()
    assert await sweep(rt) == (0, 0, 0)
    assert any(long in rec.getMessage() for rec in caplog.records) and blocked() == 1
    # Once the calendar is there, the next round applies the sanction.
    monkeypatch.undo()
    assert await sweep(rt) == (1, 0, 0)
    assert (await level(long)).json()["escalations"][0]["sanction"] == "notice_of_criticism"
    assert blocked() == 0
