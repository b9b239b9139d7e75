"""Usage at the price in force, rolled into bill lines per unit, platform and mode (L9)."""

import datetime as dt
from datetime import timedelta

from sqlalchemy import select

from cloud_broker.requests.models import ChangeRequest, RequestTransition, ResourceRequest
from govit.cloud_broker.v1 import events_pb2
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI


async def test_monthly_bill_lines_for_finance(broker):
    await broker.catalog()  # ecs.vcpu 120.00, evs.storage 0.50 on pa and pb from 2020
    # A later price on pa from 2026-10-01 (the old one closed the day before).
    prices = (
        await broker.http.get(
            "/v1/catalog/skus/ecs.vcpu/prices", headers=broker.admin, params={"platform_id": "pa"}
        )
    ).json()
    r = await broker.http.post(
        f"/v1/catalog/prices/{prices[0]['id']}/close",
        headers=broker.admin,
        json={"valid_to": "2026-09-30"},
    )
    assert r.status_code == 200
    r = await broker.http.post(
        "/v1/catalog/skus/ecs.vcpu/prices",
        headers=broker.admin,
        json={"platform_id": "pa", "unit_price": "100.00", "valid_from": "2026-10-01"},
    )
    assert r.status_code == 201
    await broker.http.put(
        "/v1/units/org-b", headers=broker.admin, json={"name": "B", "funding": "self"}
    )

    october = dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)

    def resource(rid, org, platform, mode, status="active", configured=-60, reclaimed=None, vcpu=4):
        """A resource configured (and reclaimed) this many days from 1 October 2026."""
        transitions = [("allocated", "configured", configured)]
        if reclaimed is not None:
            transitions.append(("wiping", "reclaimed", reclaimed))
        return ResourceRequest(
            id=rid,
            project_id="p",
            org_id=org,
            service_mode=mode,
            status=status,
            items=[{"sku": "ecs.vcpu", "quantity": vcpu}, {"sku": "evs.storage", "quantity": 200}],
            submitted_by="x",
            platform_id=platform,
            resource_ids=["vm"],
            materials={},
            activated_at=utcnow() - timedelta(days=90),
        ), [
            RequestTransition(
                request_id=rid,
                action="x",
                from_status=a,
                to_status=b,
                actor="x",
                actor_org="x",
                at=(october + timedelta(days=days)).astimezone(dt.UTC),
            )
            for a, b, days in transitions
        ]

    db = broker.running.runtime.db
    async with db.unit_of_work() as uow:
        for row, history in (
            resource("a1", "org-a", "pa", "general"),
            resource("a2", "org-a", "pa", "general", configured=30),  # on 31 October
            resource("a3", "org-a", "pa", "dedicated"),
            resource("b1", "org-b", "pb", "general"),
            # Reclaimed in October: billed for it. Reclaimed in September, or configured in
            # November (a month billed late): not.
            resource("left", "org-b", "pb", "dedicated", "reclaimed", reclaimed=0),
            resource("gone", "org-b", "pb", "general", status="reclaimed", reclaimed=-1),
            resource("later", "org-b", "pb", "general", configured=31),  # 1 November, 00:00
            resource("asked", "org-b", "pb", "general", status="approved", configured=99),
            # Sized 8 vCPU now: grown from 2 to 4 on 15 October, from 4 to 8 on 5 November.
            resource("grown", "org-c", "pa", "general", vcpu=8),
        ):
            uow.session.add(row)
            await uow.session.flush()
            uow.session.add_all(history)
        for day, before, after in ((14, 2, 4), (35, 4, 8)):
            uow.session.add(
                ChangeRequest(
                    request_id="grown",
                    org_id="org-c",
                    items=[{"sku": "ecs.vcpu", "quantity": after}],
                    reason="x",
                    status="applied",
                    submitted_by="x",
                    items_before=[
                        {"sku": "ecs.vcpu", "quantity": before},
                        {"sku": "evs.storage", "quantity": 200},
                    ],
                    applied_at=(october + timedelta(days=day)).astimezone(dt.UTC),
                )
            )
    assert (
        await broker.http.post(
            "/v1/billing/runs", headers=broker.unit(), json={"period": "2026-10"}
        )
    ).status_code == 403
    this_month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    r = await broker.http.post(
        "/v1/billing/runs", headers=broker.admin, json={"period": this_month}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"
    r = await broker.http.post("/v1/billing/runs", headers=broker.admin, json={"period": "2026-10"})
    assert r.status_code == 200, r.text
    assert r.json()["bill_lines"] == 5 and r.json()["unpriced"] == []
    lines = (
        await broker.http.get(
            "/v1/billing/bill-lines", headers=broker.admin, params={"period": "2026-10"}
        )
    ).json()
    got = {(x["org_id"], x["platform_id"], x["service_mode"]): x for x in lines}
    # 4 vCPU at 100.00 (the October price) + 200 GB at 0.50, per resource.
    assert got[("org-a", "pa", "general")]["amount"] == "1000.00"
    assert got[("org-a", "pa", "dedicated")]["amount"] == "500.00"
    assert got[("org-b", "pb", "general")]["amount"] == "580.00"  # pb still at 120.00
    assert got[("org-b", "pb", "dedicated")]["amount"] == "580.00"  # reclaimed in October
    assert got[("org-b", "pb", "general")]["unit_funding"] == "self"
    # October is billed at the size at its end (L6): 4 vCPU, not today's 8.
    assert got[("org-c", "pa", "general")]["amount"] == "500.00"
    own = (
        await broker.http.get(
            "/v1/billing/bill-lines", headers=broker.unit("org-b"), params={"period": "2026-10"}
        )
    ).json()
    assert {x["org_id"] for x in own} == {"org-b"} and len(own) == 2
    assert (
        await broker.http.post("/v1/billing/runs", headers=broker.admin, json={"period": "2026-10"})
    ).status_code == 409
    ob = db.tables.outbox
    async with db.sessions() as s:
        payloads = (
            await s.scalars(select(ob.c.payload).where(ob.c.event_type.like("%.bill_line.issued")))
        ).all()
    msgs = [events_pb2.BillLineIssued.FromString(p) for p in payloads]
    assert sorted(m.amount.amount for m in msgs) == [
        "1000.00",
        "500.00",
        "500.00",
        "580.00",
        "580.00",
    ]
    assert {(m.rule_id, m.article) for m in msgs} == {("L9", "SN C art17")}
    # One close of the month (L10), in the same transaction as its lines: per platform, the
    # number of lines issued and their total, so finance knows when the month has arrived whole.
    async with db.sessions() as s:
        closes = (
            await s.execute(
                select(ob.c.subject, ob.c.payload).where(
                    ob.c.event_type.like("%.billing_month.closed")
                )
            )
        ).all()
    assert [subject for subject, _ in closes] == ["2026-10"]
    closed = events_pb2.BillingMonthClosed.FromString(closes[0].payload)
    assert closed.period == "2026-10"
    assert [(p.platform_id, p.bill_lines, p.amount.amount) for p in closed.platforms] == [
        ("pa", 3, "2000.00"),
        ("pb", 2, "1160.00"),
    ]
    assert (closed.rule_id, closed.article) == ("L10", "SN C art5, art6")
