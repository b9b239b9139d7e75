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

from sqlalchemy import ScalarSelect, Select, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from cloud_broker.billing.models import BillingMonth, BillLine, UsageLine
from cloud_broker.catalog import service as catalog
from cloud_broker.requests import service as requests
from cloud_broker.requests.enums import RequestStatus
from cloud_broker.requests.models import (
    ChangeRequest,
    CloudUnit,
    OwnershipChange,
    RequestTransition,
    ResourceRequest,
)
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_money
from govit_kit.db import new_id, utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import SHANGHAI
from govit_kit.uow import UnitOfWork

# Usage lines per INSERT: a city's month is tens of thousands of resources, each several SKUs.
USAGE_BATCH = 5000


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


def items_at(at: datetime) -> ScalarSelect:
    """A resource's items at `at` if its size changed since (what the first later change
    replaced), NULL if it has stood at its current items since: correlated to the resource
    (`ResourceRequest`) of the select it is put in."""
    c = ChangeRequest
    return (
        select(c.items_before)
        .where(
            c.request_id == ResourceRequest.id,
            c.applied_at >= at,
            c.items_before.is_not(None),
        )
        .order_by(c.applied_at, c.id)
        .limit(1)
        .correlate(ResourceRequest)
        .scalar_subquery()
    )


def billed_at_end(starts: datetime, ends: datetime) -> Select:
    """The month's resources (`billed_in`), each with its owner at the month's end, its items
    then (`items_at`, NULL: its current items) and that owner's unit (None: unregistered), in
    one query however many there are."""
    billed = (
        billed_in(starts, ends)
        .add_columns(items_at(ends).label("items_then"))
        .order_by(None)
        .subquery()
    )
    resource = aliased(ResourceRequest, billed)
    return (
        select(resource, billed.c.owner, billed.c.items_then, CloudUnit)
        .outerjoin(CloudUnit, CloudUnit.org_id == billed.c.owner)
        .order_by(billed.c.owner, resource.id)
    )


async def run_month(*, uow: UnitOfWork, rt, who: Principal, period: str) -> dict:
    """Bill a month once: the month's row (`BillingMonth`: a second run, even of a month with
    nothing to bill, is a 409 naming it), usage lines, bill lines, one event per bill line, and
    one event closing the month with each platform's count of lines and their total (L10) and
    what the month left unpriced (kept on the month's row: it is never billed later).

    A fixed number of queries however many resources the month holds (a city's are tens of
    thousands): the resources with their sizes and units in one, the prices in force in one,
    the usage lines written in batches, the bill lines in one flush."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    starts, ends = month_bounds(period)
    if ends > utcnow():
        raise InvalidInput("period", f"{period} is not over yet: a month is billed once it ends")
    month = await _claim(uow, period, who)
    day = starts.astimezone(SHANGHAI).date()  # the price in force on the month's first day
    prices = await catalog.prices_on(session=uow.session, day=day)
    resources = (await uow.session.execute(billed_at_end(starts, ends))).all()
    bills: dict[tuple, list[Decimal]] = defaultdict(list)
    units: dict[str, CloudUnit] = {}
    usage: list[dict] = []
    unpriced: list[dict] = []
    for r, owner, items_then, unit in resources:
        units[owner] = unit or requests.unregistered_unit(owner)
        for item in r.items if items_then is None else items_then:
            price = prices.get((item["sku"], r.platform_id))
            if price is None:
                unpriced.append(
                    {
                        "resource_id": r.id,
                        "org_id": owner,
                        "platform_id": r.platform_id,
                        "sku": item["sku"],
                        "quantity": int(item["quantity"]),
                    }
                )
                continue
            amount = price.unit_price * int(item["quantity"])
            usage.append(
                dict(
                    id=new_id(),
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
    for at in range(0, len(usage), USAGE_BATCH):
        await uow.session.execute(insert(UsageLine), usage[at : at + USAGE_BATCH])
    issued: list[BillLine] = []
    for (org, platform, mode), amounts in bills.items():
        unit = units[org]
        line = BillLine(
            id=new_id(),
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
    month.bill_lines, month.unpriced = len(issued), unpriced
    await uow.session.flush()  # the bill lines, in one batch, and the month's row
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
            unpriced=_unpriced_usage(unpriced),
        ),
        subject=period,
    )
    return {"period": period, "bill_lines": len(bills), "unpriced": unpriced}


async def _claim(uow: UnitOfWork, period: str, who: Principal) -> BillingMonth:
    """The month's row, written first: 409 naming the month when it is billed already. Two runs
    at once: the second waits on the first's row (its primary key) and, once the first has
    committed, is refused the same way; neither bills nor announces anything twice."""
    if await uow.session.get(BillingMonth, period) is not None:
        raise Conflict(f"{period} is already billed: a month is billed once", period=period)
    month = BillingMonth(period=period, closed_at=utcnow(), closed_by=who.subject)
    uow.session.add(month)
    try:
        await uow.session.flush()
    except IntegrityError as exc:  # a concurrent run of the month committed first
        raise Conflict(
            f"{period} is already billed: a month is billed once", period=period
        ) from exc
    return month


def _unpriced_usage(unpriced: list[dict]) -> list[events_pb2.UnpricedUsage]:
    """The month's unpriced use per platform and SKU, in that order (the event carries the sums:
    a city's month may leave thousands of resources unpriced; the month's row keeps each)."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for x in unpriced:
        part = sums[(x["platform_id"], x["sku"])]
        part[0] += 1
        part[1] += x["quantity"]
    return [
        events_pb2.UnpricedUsage(platform_id=p, sku=sku, resources=n, quantity=q)
        for (p, sku), (n, q) in sorted(sums.items())
    ]
