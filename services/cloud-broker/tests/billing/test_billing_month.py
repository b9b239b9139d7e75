"""A month is billed once (L10), and what it could not bill for want of a price is kept and
announced, not dropped.

"Already billed" used to mean "has bill lines": a month with nothing to bill could be run
again, and each run announced `billing_month.closed` again (finance counts a month's lines
against its close); two runs at once could both bill it. Unpriced use was only in the run's
answer: once the month was billed it could never be billed, and nothing kept that it was not."""

import asyncio
import datetime as dt
from datetime import timedelta

from cloud_broker.billing import flows
from cloud_broker.requests.models import RequestTransition, ResourceRequest
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.db import utcnow
from govit_kit.errors import Conflict
from govit_kit.policy import SHANGHAI

ADMIN = Principal("admin-1", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))


async def closes(b, period) -> list[events_pb2.BillingMonthClosed]:
    from sqlalchemy import select

    ob = b.running.runtime.db.tables.outbox
    async with b.running.runtime.db.sessions() as s:
        rows = await s.scalars(
            select(ob.c.payload)
            .where(ob.c.subject == period, ob.c.event_type.like("%.billing_month.closed"))
            .order_by(ob.c.seq)
        )
        return [events_pb2.BillingMonthClosed.FromString(p) for p in rows]


async def test_a_month_with_nothing_to_bill_is_closed_once(broker):
    b = broker
    await b.catalog()
    r1 = await b.http.post("/v1/billing/runs", headers=b.admin, json={"period": "2025-01"})
    assert r1.status_code == 200 and r1.json()["bill_lines"] == 0, r1.text
    r2 = await b.http.post("/v1/billing/runs", headers=b.admin2, json={"period": "2025-01"})
    assert r2.status_code == 409, r2.text
    assert r2.json()["period"] == "2025-01" and "2025-01" in r2.json()["detail"]
    assert len(await closes(b, "2025-01")) == 1
    r = await b.http.get(
        "/v1/billing/months/2025-01", headers=b.token("f", "fin", ["finance_officer"])
    )
    assert r.status_code == 200, r.text
    month = r.json()
    assert (month["period"], month["closed_by"], month["bill_lines"], month["unpriced"]) == (
        "2025-01",
        "admin-1",
        0,
        [],
    )
    r = await b.http.get("/v1/billing/months/2025-02", headers=b.admin)
    assert r.status_code == 404
    r = await b.http.get("/v1/billing/months/2025-13", headers=b.admin)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"
    assert (await b.http.get("/v1/billing/months/2025-01", headers=b.unit())).status_code == 403


async def test_two_runs_of_a_month_at_once_bill_it_once(broker):
    b = broker
    await b.catalog()
    rt = b.running.runtime
    db = rt.db

    async def run(uow):
        return await flows.run_month(uow=uow, rt=rt, who=ADMIN, period="2025-02")

    async def second():
        try:
            async with db.unit_of_work() as uow:
                return await run(uow)
        except Exception as exc:  # noqa: BLE001 - the answer under test
            return exc

    async with db.unit_of_work() as uow:
        await run(uow)
        task = asyncio.create_task(second())
        await asyncio.sleep(0.5)  # the second goes as far as it can before the first commits
    answer = await task
    assert isinstance(answer, Conflict) and answer.extensions == {"period": "2025-02"}, answer
    assert len(await closes(b, "2025-02")) == 1


async def test_unpriced_use_is_kept_and_announced(broker):
    b = broker
    await b.catalog(platforms=("pa",))  # ecs.vcpu, ecs.memory, evs.storage; no net.bandwidth
    march = dt.datetime(2025, 3, 1, tzinfo=SHANGHAI)
    db = b.running.runtime.db
    async with db.unit_of_work() as uow:
        for rid, org, items in (
            ("r1", "org-a", [("ecs.vcpu", 4), ("net.bandwidth", 100)]),
            ("r2", "org-b", [("net.bandwidth", 50)]),
        ):
            uow.session.add(
                ResourceRequest(
                    id=rid,
                    project_id="p",
                    org_id=org,
                    service_mode="general",
                    status="active",
                    items=[{"sku": s, "quantity": q} for s, q in items],
                    submitted_by="x",
                    platform_id="pa",
                    resource_ids=[f"vm-{rid}"],
                    materials={},
                    activated_at=utcnow() - timedelta(days=900),
                )
            )
            await uow.session.flush()
            uow.session.add(
                RequestTransition(
                    request_id=rid,
                    action="x",
                    from_status="allocated",
                    to_status="configured",
                    actor="x",
                    actor_org="x",
                    at=(march - timedelta(days=30)).astimezone(dt.UTC),
                )
            )
    r = await b.http.post("/v1/billing/runs", headers=b.admin, json={"period": "2025-03"})
    assert r.status_code == 200, r.text
    unpriced = sorted(
        (x["resource_id"], x["org_id"], x["platform_id"], x["sku"], x["quantity"])
        for x in r.json()["unpriced"]
    )
    assert unpriced == [
        ("r1", "org-a", "pa", "net.bandwidth", 100),
        ("r2", "org-b", "pa", "net.bandwidth", 50),
    ]
    [closed] = await closes(b, "2025-03")
    assert [(p.platform_id, p.bill_lines) for p in closed.platforms] == [("pa", 1)]
    assert [(u.platform_id, u.sku, u.resources, u.quantity) for u in closed.unpriced] == [
        ("pa", "net.bandwidth", 2, 150)
    ]
    month = (await b.http.get("/v1/billing/months/2025-03", headers=b.admin)).json()
    assert month["bill_lines"] == 1
    kept = sorted((x["resource_id"], x["sku"], x["quantity"]) for x in month["unpriced"])
    assert kept == [("r1", "net.bandwidth", 100), ("r2", "net.bandwidth", 50)]
    # Pricing it afterwards does not reopen the month: it is billed once.
    r = await b.http.post(
        "/v1/catalog/skus/net.bandwidth/prices",
        headers=b.admin,
        json={"platform_id": "pa", "unit_price": "2.00", "valid_from": "2020-01-01"},
    )
    assert r.status_code == 201, r.text
    r = await b.http.post("/v1/billing/runs", headers=b.admin, json={"period": "2025-03"})
    assert r.status_code == 409 and r.json()["period"] == "2025-03"
    assert len(await closes(b, "2025-03")) == 1
