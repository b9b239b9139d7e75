"""The monthly usage run: usage per resource and SKU at the price in force, rolled into bill
lines per unit, platform and service mode, each published for finance (which decides who
pays, L9). One run per month."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from cloud_broker.billing.models import BillLine, UsageLine
from cloud_broker.catalog import service as catalog
from cloud_broker.requests import service as requests
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import ResourceRequest
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_money
from govit_kit.errors import Conflict
from govit_kit.uow import UnitOfWork

# Provisioned and not yet reclaimed: these are billed for the month.
BILLED = (
    RequestStatus.CONFIGURED,
    RequestStatus.DEPLOYED,
    RequestStatus.ACTIVE,
    RequestStatus.EXIT_REQUESTED,
    RequestStatus.TRANSITION,
    RequestStatus.WIPING,
)


async def run_month(*, uow: UnitOfWork, rt, who: Principal, period: str) -> dict:
    """Bill a month once: usage lines, bill lines, one event per bill line."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if await uow.session.scalar(select(func.count()).where(BillLine.period == period)):
        raise Conflict(f"{period} is already billed")
    day = date(int(period[:4]), int(period[5:]), 1)  # the price in force on the month's first day
    resources = (
        await uow.session.scalars(
            select(ResourceRequest)
            .where(ResourceRequest.status.in_([s.value for s in BILLED]))
            .order_by(ResourceRequest.org_id, ResourceRequest.id)
        )
    ).all()
    bills: dict[tuple, list[Decimal]] = defaultdict(list)
    unpriced = []
    for r in resources:
        for item in r.items:
            price = await catalog.price_on(
                session=uow.session, sku_code=item["sku"], platform_id=r.platform_id, day=day
            )
            if price is None:
                unpriced.append({"resource_id": r.id, "sku": item["sku"]})
                continue
            amount = price.unit_price * int(item["quantity"])
            uow.session.add(
                UsageLine(
                    period=period,
                    resource_id=r.id,
                    org_id=r.org_id,
                    platform_id=r.platform_id,
                    service_mode=r.service_mode,
                    sku=item["sku"],
                    quantity=int(item["quantity"]),
                    unit_price=price.unit_price,
                    amount=amount,
                )
            )
            bills[(r.org_id, r.platform_id, r.service_mode)].append(amount)
    for (org, platform, mode), amounts in bills.items():
        unit = await requests.unit_of(session=uow.session, org_id=org)
        line = BillLine(
            period=period,
            org_id=org,
            platform_id=platform,
            service_mode=mode,
            amount=sum(amounts, Decimal("0")),
            usage_lines=len(amounts),
            unit_level=unit.level,
            unit_funding=unit.funding,
        )
        uow.session.add(line)
        await uow.session.flush()
        await uow.emit(
            "bill_line",
            "issued",
            events_pb2.BillLineIssued(
                bill_line_id=line.id,
                period=period,
                org_id=org,
                platform_id=platform,
                service_mode=mode,
                amount=to_money(line.amount),
                usage_lines=line.usage_lines,
                unit_level=unit.level,
                unit_funding=unit.funding,
                rule_id="L9",
                article=rt.profile.rule("L9").article or "",
            ),
            subject=line.id,
            org_id=org,
        )
    return {"period": period, "bill_lines": len(bills), "unpriced": unpriced}
