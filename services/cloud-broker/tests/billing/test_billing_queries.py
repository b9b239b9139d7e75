"""A month's billing run asks the database a fixed number of times however many resources the
month holds, on both backends: PostgreSQL and SQLite, the embedded default (which the broker's
own tests, all on PostgreSQL, never reach). It asked once per resource per SKU for the price,
once per bill line for the unit, and flushed per line; and it passed every resource's id in one
IN list, past PostgreSQL's 32,767 arguments at 40,000 resources: a city could not be billed."""

import asyncio
import importlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from cloud_broker.billing import flows
from cloud_broker.billing.models import BillLine, UsageLine
from cloud_broker.catalog.models import ProviderPlatform, SkuPrice
from cloud_broker.db import Base
from cloud_broker.requests.models import (
    ChangeRequest,
    CloudUnit,
    OwnershipChange,
    RequestTransition,
    ResourceRequest,
)
from govit.cloud_broker.v1 import events_pb2
from govit_kit import migrations
from govit_kit.auth import Principal, Role
from govit_kit.db import Database
from govit_kit.policy import SHANGHAI, load_profile
from govit_kit.testing import counted_statements

OCTOBER = datetime(2026, 10, 1, tzinfo=SHANGHAI).astimezone(UTC)
NOVEMBER = datetime(2026, 11, 1, tzinfo=SHANGHAI).astimezone(UTC)


async def billed_db(kind: str, databases, tmp_path, n: int) -> Database:
    """A broker database with `n` resources to bill for October 2026.

    Resource i belongs to org-(i % 3): org-0 is a county unit funded `self`, org-1 a city unit,
    org-2 unregistered. Each is 4 vCPU (120.00), 200 GB storage (0.50) and 8 GB memory (no
    price: unpriced). Every even one grew from 2 vCPU on 5 November (billed at 2 for October);
    every one grew on 10 October too (after the month's start: does not matter). Every fifth
    one moved from org-1's hands to org-0's on 2 November (billed to org-1 for October)."""
    if kind == "postgresql":
        url = await databases.create("cloud_broker")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / f'bill-{n}.db'}"
    spec = importlib.import_module("cloud_broker.main").spec()
    await asyncio.to_thread(migrations.upgrade, spec, url)
    db = Database(url, Base.metadata, service="cloud_broker")
    async with db.unit_of_work() as uow:
        s = uow.session
        s.add(ProviderPlatform(id="pa", name="PA"))
        await s.flush()
        for sku, price in (("ecs.vcpu", "120.00"), ("evs.storage", "0.50")):
            s.add(
                SkuPrice(
                    sku_code=sku,
                    platform_id="pa",
                    unit_price=Decimal(price),
                    valid_from=datetime(2020, 1, 1).date(),
                    created_by="x",
                )
            )
        s.add(CloudUnit(org_id="org-0", name="0", level="county", funding="self"))
        s.add(CloudUnit(org_id="org-1", name="1", level="city", funding="partial"))
        for i in range(n):
            rid = f"r-{i:05d}"
            moved = i % 5 == 0
            s.add(
                ResourceRequest(
                    id=rid,
                    project_id="p",
                    org_id="org-0" if moved else f"org-{i % 3}",
                    service_mode="general",
                    items=[
                        {"sku": "ecs.vcpu", "quantity": 4},
                        {"sku": "evs.storage", "quantity": 200},
                        {"sku": "ecs.memory", "quantity": 8},
                    ],
                    status="active",
                    submitted_by="x",
                    platform_id="pa",
                    resource_ids=[f"vm-{i}"],
                    materials={},
                )
            )
            await s.flush()
            s.add(
                RequestTransition(
                    request_id=rid,
                    action="complete",
                    from_status="provisioning",
                    to_status="configured",
                    actor="x",
                    actor_org="pa",
                    at=OCTOBER - timedelta(days=20),
                )
            )
            grown = [(OCTOBER + timedelta(days=9), 3)]
            if i % 2 == 0:
                grown.append((NOVEMBER + timedelta(days=4), 2))
            for at, before in grown:
                s.add(
                    ChangeRequest(
                        request_id=rid,
                        org_id=f"org-{i % 3}",
                        items=[{"sku": "ecs.vcpu", "quantity": 4}],
                        reason="x",
                        status="applied",
                        submitted_by="x",
                        applied_at=at,
                        items_before=[
                            {"sku": "ecs.vcpu", "quantity": before},
                            {"sku": "evs.storage", "quantity": 200},
                            {"sku": "ecs.memory", "quantity": 8},
                        ],
                    )
                )
            if moved:
                s.add(
                    OwnershipChange(
                        resource_id=rid,
                        from_org_id="org-1",
                        to_org_id="org-0",
                        effective_at=NOVEMBER + timedelta(days=1),
                        rule_id="K3",
                        article="x",
                        system_id="sys",
                        event_id=f"e-{i}",
                    )
                )
    return db


def expected(n: int) -> dict:
    """The bill lines by unit, and the usage lines, from the seeding's rules in plain Python."""
    amounts: dict[str, Decimal] = {}
    usage = 0
    for i in range(n):
        owner = "org-1" if i % 5 == 0 else f"org-{i % 3}"
        vcpu = 2 if i % 2 == 0 else 4
        amounts[owner] = (
            amounts.get(owner, Decimal(0)) + vcpu * Decimal("120.00") + 200 * Decimal("0.50")
        )
        usage += 2
    return {"amounts": amounts, "usage_lines": usage}


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_the_run_asks_the_same_number_of_times_for_3_or_30_resources(
    kind, databases, tmp_path
):
    rt = SimpleNamespace(profile=load_profile("suining"))
    admin = Principal("admin", "bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))
    queries = {}
    for n in (3, 30):
        db = await billed_db(kind, databases, tmp_path, n)
        try:
            with counted_statements(db.engine) as ran:
                async with db.unit_of_work() as uow:
                    out = await flows.run_month(uow=uow, rt=rt, who=admin, period="2026-10")
            queries[n] = ran.count
            want = expected(n)
            assert out["bill_lines"] == len(want["amounts"])
            assert sorted(x["resource_id"] for x in out["unpriced"]) == [
                f"r-{i:05d}" for i in range(n)
            ]
            assert {x["sku"] for x in out["unpriced"]} == {"ecs.memory"}
            async with db.sessions() as s:
                lines = (await s.scalars(select(BillLine))).all()
                usage = (await s.scalars(select(UsageLine))).all()
                outbox = (
                    await s.execute(
                        select(db.tables.outbox.c.event_type, db.tables.outbox.c.payload)
                    )
                ).all()
            assert {x.org_id: x.amount for x in lines} == want["amounts"]
            units = {x.org_id: (x.unit_level, x.unit_funding) for x in lines}
            assert units == {
                k: v
                for k, v in {
                    "org-0": ("county", "self"),
                    "org-1": ("city", "partial"),
                    "org-2": ("city", "full"),  # unregistered: a city unit, fully funded
                }.items()
                if k in want["amounts"]
            }
            assert {x.org_id: x.usage_lines for x in lines} == {
                org: sum(2 for i in range(n) if ("org-1" if i % 5 == 0 else f"org-{i % 3}") == org)
                for org in want["amounts"]
            }
            assert len(usage) == want["usage_lines"]
            assert sum((u.amount for u in usage), Decimal(0)) == sum(want["amounts"].values())
            assert all(u.amount == u.unit_price * u.quantity for u in usage)
            issued = [
                events_pb2.BillLineIssued.FromString(p)
                for t, p in outbox
                if t.endswith(".bill_line.issued")
            ]
            assert {m.bill_line_id for m in issued} == {x.id for x in lines}
            assert {m.org_id: m.amount.amount for m in issued} == {
                k: str(v) for k, v in want["amounts"].items()
            }
            [closed] = [
                events_pb2.BillingMonthClosed.FromString(p)
                for t, p in outbox
                if t.endswith(".billing_month.closed")
            ]
            assert [(p.platform_id, p.bill_lines) for p in closed.platforms] == [
                ("pa", len(want["amounts"]))
            ]
        finally:
            await db.dispose()
    assert queries[30] == queries[3], queries
