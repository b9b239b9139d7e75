"""Cloud-broker's monthly bill reaches finance over NATS and is settled there (L9-L11).

The two services run in this process on real PostgreSQL and NATS, each with its own database,
and talk only through the stream: this proves the wire (subject, protobuf payload, headers)
between them, which each service's own tests stand in for with hand-built events.
"""

import datetime as dt
from datetime import timedelta

import httpx

from cloud_broker.main import spec as broker_spec
from cloud_broker.requests.models import RequestTransition, ResourceRequest
from finance.cloud.models import BrokerBillLine, BrokerMonthClose
from finance.main import spec as finance_spec
from govit_kit.db import utcnow
from govit_kit.policy import SHANGHAI
from govit_kit.testing import bearer, wait_until
from intake.main import spec as intake_spec

OCTOBER = dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)


def configured_resource(rid: str, org: str, mode: str) -> list:
    """An active resource of the unit on platform pa, configured in August (before October)."""
    return [
        ResourceRequest(
            id=rid,
            project_id="p",
            org_id=org,
            service_mode=mode,
            status="active",
            items=[{"sku": "ecs.vcpu", "quantity": 4}, {"sku": "evs.storage", "quantity": 200}],
            submitted_by="x",
            platform_id="pa",
            resource_ids=["vm"],
            materials={},
            activated_at=utcnow() - timedelta(days=90),
        ),
        RequestTransition(
            request_id=rid,
            action="complete",
            from_status="allocated",
            to_status="configured",
            actor="x",
            actor_org="x",
            at=(OCTOBER - timedelta(days=60)).astimezone(dt.UTC),
        ),
    ]


async def test_broker_bill_lines_are_settled_by_finance_with_the_payer_of_l9(start_service, issuer):
    intake = await start_service(intake_spec(), policy_profile="suining")
    broker = await start_service(
        broker_spec(), intake_grpc=f"127.0.0.1:{intake.grpc_port}", policy_profile="suining"
    )
    finance = await start_service(finance_spec(), policy_profile="suining")
    admin = bearer(issuer.issue("admin-1", "data-bureau", ["bureau_cloud_admin"]))
    async with (
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{broker.http_port}", timeout=20) as cb,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{finance.http_port}", timeout=20) as fin,
    ):
        r = await cb.post("/v1/catalog/platforms", headers=admin, json={"id": "pa", "name": "PA"})
        assert r.status_code == 201, r.text
        for sku, price in (("ecs.vcpu", "120.00"), ("evs.storage", "0.50")):
            r = await cb.post(
                f"/v1/catalog/skus/{sku}/prices",
                headers=admin,
                json={"platform_id": "pa", "unit_price": price, "valid_from": "2020-01-01"},
            )
            assert r.status_code == 201, r.text
        r = await cb.put("/v1/units/org-b", headers=admin, json={"name": "B", "funding": "self"})
        assert r.status_code < 300, r.text
        # The resources' history (set up directly: a month that is over has to be in the past).
        async with broker.runtime.db.unit_of_work() as uow:
            for rows in (
                configured_resource("a1", "org-a", "general"),
                configured_resource("a2", "org-a", "dedicated"),
                configured_resource("b1", "org-b", "general"),
            ):
                uow.session.add(rows[0])
                await uow.session.flush()
                uow.session.add(rows[1])
        r = await cb.post("/v1/billing/runs", headers=admin, json={"period": "2026-10"})
        assert r.status_code == 200 and r.json()["bill_lines"] == 3, r.text

        # Finance keeps the month's lines as they arrive, and cloud-broker's close of the month
        # (L10: platform pa, 3 lines, their total); the bureau verifies them all there.
        async def arrived():
            async with finance.runtime.db.sessions() as session:
                return len((await session.execute(BrokerBillLine.__table__.select())).all()) == 3

        async def closed():
            async with finance.runtime.db.sessions() as session:
                return await session.get(BrokerMonthClose, ("2026-10", "pa"))

        await wait_until(closed)
        close = await closed()
        assert (close.bill_lines, str(close.amount)) == (3, "1740.00")
        await wait_until(arrived)
        verify = {
            "platform_id": "pa",
            "month": "2026-10",
            "adjustments": [{"org_id": "org-a", "service_mode": "general", "idle_extra": "80.00"}],
        }

        r = await fin.post("/v1/cloud-bills/broker-verifications", headers=admin, json=verify)
        assert r.status_code == 201, r.text
        bill = r.json()
    # 4 vCPU at 120.00 + 200 GB at 0.50 = 580.00 per resource.
    owed = {(p["payer"], p["org_id"]): p["amount"] for p in bill["payables"]}
    assert owed == {
        ("city_finance", ""): "500.00",  # org-a's 普通, less the idle 80 cut (L11)
        ("unit", "org-a"): "580.00",  # org-a's 专享: the unit pays (L9)
        ("unit", "org-b"): "580.00",  # self-funded: the unit pays everything (L9)
    }
    assert (bill["billed"], bill["deducted"]) == ("1740.00", "80.00")
    decisions = {(x["org_id"], x["service_mode"]): x["decisions"][0] for x in bill["lines"]}
    assert {(d["rule_id"], d["article"]) for d in decisions.values()} == {("L9", "SN C art17")}
    # The month arrived whole, as the close announced it (L10); no completeness flag.
    l10 = [d for d in bill["decisions"] if d["rule_id"] == "L10"]
    assert [d["outcome"] for d in l10] == ["allow", "allow"], l10
    assert l10[1]["figures"]["bill_lines"] == 3 and l10[1]["article"] == "SN C art5, art6"
