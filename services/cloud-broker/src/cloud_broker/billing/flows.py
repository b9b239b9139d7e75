"""The monthly usage run: usage per resource and SKU at the price in force, rolled into bill
lines per unit, platform and service mode, each published for finance (which decides who
pays, L9). One run per month, once the month is over.

A resource is billed for a month when it was provisioned (configured), or registered as an
existing resource, before the month ended and not reclaimed before it began, as its transition
history records (a registered resource from its registration, not from `in_use_since`: the
months before were settled before the platform took it on, L10): a month billed late
is billed for what stood in it, not for what stands today. A month is billed whole (no
proration), at the size that stood at its end (L6 changes applied later are undone for it),
and to the unit that owned the resource at its end (a K3/K4 move made later is undone for it)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import Select, func, or_, select

from cloud_broker.billing.models import BillLine, UsageLine
from cloud_broker.catalog import service as catalog
from cloud_broker.requests import service as requests
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import (
    ChangeRequest,
    OwnershipChange,
    RequestTransition,
    ResourceRequest,
)
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_money
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import SHANGHAI
from govit_kit.uow import UnitOfWork


def month_bounds(period: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, Asia/Shanghai, as UTC."""
    first = date(int(period[:4]), int(period[5:]), 1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    starts, ends = (datetime.combine(d, time.min, tzinfo=SHANGHAI) for d in (first, after))
    return starts.astimezone(UTC), ends.astimezone(UTC)


def billed_in(starts: datetime, ends: datetime) -> Select:
    """Resources provisioned (or registered) before the month ended and not reclaimed before it
    began, each with the unit that owned it at the month's end (column `owner`)."""
    t = RequestTransition
    provisioned = (
        select(t.request_id, func.min(t.at).label("at"))
        .where(or_(t.to_status == RequestStatus.CONFIGURED.value, t.action == "register"))
        .group_by(t.request_id)
        .subquery()
    )
    reclaimed = (
        select(t.request_id, func.max(t.at).label("at"))
        .where(t.to_status == RequestStatus.RECLAIMED.value)
        .group_by(t.request_id)
        .subquery()
    )
    # The first move after the month ended names who owned it then; none: today's owner.
    o = OwnershipChange
    owner_then = (
        select(o.from_org_id)
        .where(o.resource_id == ResourceRequest.id, o.effective_at >= ends)
        .order_by(o.effective_at, o.id)
        .limit(1)
        .correlate(ResourceRequest)
        .scalar_subquery()
    )
    owner = func.coalesce(owner_then, ResourceRequest.org_id).label("owner")
    return (
        select(ResourceRequest, owner)
        .join(provisioned, provisioned.c.request_id == ResourceRequest.id)
        .outerjoin(reclaimed, reclaimed.c.request_id == ResourceRequest.id)
        .where(provisioned.c.at < ends, or_(reclaimed.c.at.is_(None), reclaimed.c.at >= starts))
        .order_by(owner, ResourceRequest.id)
    )


async def items_at(session, request_ids: list[str], at: datetime) -> dict[str, list]:
    """The items of resources whose size changed after `at`: what the first later change
    replaced. Resources left out have stood at their current items since."""
    later = (
        await session.scalars(
            select(ChangeRequest)
            .where(
                ChangeRequest.request_id.in_(request_ids),
                ChangeRequest.applied_at >= at,
            )
            .order_by(ChangeRequest.applied_at.desc())
        )
    ).all()
    # Latest first, so the earliest change after `at` is written last and wins.
    return {c.request_id: c.items_before for c in later if c.items_before is not None}


async def run_month(*, uow: UnitOfWork, rt, who: Principal, period: str) -> dict:
    """Bill a month once: usage lines, bill lines, one event per bill line, and one event
    closing the month with each platform's count of lines and their total (L10)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    starts, ends = month_bounds(period)
    if ends > utcnow():
        raise InvalidInput("period", f"{period} is not over yet: a month is billed once it ends")
    if await uow.session.scalar(select(func.count()).where(BillLine.period == period)):
        raise Conflict(f"{period} is already billed")
    day = starts.astimezone(SHANGHAI).date()  # the price in force on the month's first day
    resources = (await uow.session.execute(billed_in(starts, ends))).all()
    sizes = await items_at(uow.session, [r.id for r, _ in resources], ends)
    bills: dict[tuple, list[Decimal]] = defaultdict(list)
    unpriced = []
    for r, owner in resources:
        for item in sizes.get(r.id, r.items):
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
                    org_id=owner,
                    platform_id=r.platform_id,
                    service_mode=r.service_mode,
                    sku=item["sku"],
                    quantity=int(item["quantity"]),
                    unit_price=price.unit_price,
                    amount=amount,
                )
            )
            bills[(owner, r.platform_id, r.service_mode)].append(amount)
    issued: list[BillLine] = []
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
        issued.append(line)
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
    # The month's close, in the same transaction as its lines (L10): finance cannot tell from
    # the lines alone when they have all arrived (JetStream orders them per line, and its
    # consumer may lag), so it counts them against this before the bureau verifies a platform.
    platforms: dict[str, list[Decimal]] = defaultdict(list)
    for line in issued:
        platforms[line.platform_id].append(line.amount)
    await uow.emit(
        "billing_month",
        "closed",
        events_pb2.BillingMonthClosed(
            period=period,
            platforms=[
                events_pb2.BilledPlatform(
                    platform_id=platform,
                    bill_lines=len(amounts),
                    amount=to_money(sum(amounts, Decimal("0"))),
                )
                for platform, amounts in sorted(platforms.items())
            ],
            rule_id="L10",
            article=rt.profile.rule("L10").article or "",
        ),
        subject=period,
    )
    return {"period": period, "bill_lines": len(bills), "unpriced": unpriced}
