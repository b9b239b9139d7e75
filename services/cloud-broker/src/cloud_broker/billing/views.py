"""REST endpoints of usage and bills."""

import re
from datetime import datetime
from decimal import Decimal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from cloud_broker.billing import flows
from cloud_broker.billing.models import BillingMonth, BillLine
from cloud_broker.utilisation.schemas import ClassificationCreate, Period
from govit_kit.auth import Role
from govit_kit.errors import InvalidInput, NotFound
from govit_kit.http import (
    NEXT_CURSOR_HEADER,
    CurrentPrincipal,
    CurrentRuntime,
    OptionalPaging,
    fetch_all_or_page,
)

router = APIRouter(prefix="/v1/billing", tags=["usage and bills"])
READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR})


class BillLineRead(BaseModel):
    """A bill line."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    period: str
    org_id: str
    platform_id: str
    service_mode: str
    amount: Decimal
    usage_lines: int
    unit_level: str
    unit_funding: str


class UnpricedRead(BaseModel):
    """One resource's use of one SKU a month left unbilled: no price in force for it."""

    resource_id: str
    org_id: str
    platform_id: str
    sku: str
    quantity: int


class BillingMonthRead(BaseModel):
    """A billed month: when and by whom, its bill lines, and what it left unpriced (None: billed
    before the broker kept it)."""

    model_config = ConfigDict(from_attributes=True)

    period: str
    closed_at: datetime
    closed_by: str
    bill_lines: int
    unpriced: list[UnpricedRead] | None


@router.post("/runs")
async def run_month(body: ClassificationCreate, who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """Bill a month (cloud administrators, once per month)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.run_month(uow=uow, rt=rt, who=who, period=body.period)


@router.get("/months/{period}", response_model=BillingMonthRead)
async def get_month(period: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A billed month (the bureau, finance, audit): 404 while it is not billed."""
    who.require(*READERS)
    if not re.fullmatch(r"20[0-9]{2}-(0[1-9]|1[0-2])", period):
        raise InvalidInput("period", "is a month, YYYY-MM")
    async with rt.db.sessions() as session:
        month = await session.get(BillingMonth, period)
    if month is None:
        raise NotFound(f"{period} is not billed")
    return month


@router.get("/bill-lines", response_model=list[BillLineRead])
async def list_bill_lines(
    period: Period,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: OptionalPaging,
    response: Response,
):
    """A month's bill lines (a unit: its own), by unit. Every line unless `limit` or `cursor`
    is given: then one page, and the next page's cursor in the X-Next-Cursor header (none on
    the last page); a month holds a line per unit, platform and service mode."""
    q = select(BillLine).where(BillLine.period == period).order_by(BillLine.org_id, BillLine.id)
    scope = who.org_scope(READERS)
    if scope is not None:
        q = q.where(BillLine.org_id == scope)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_all_or_page(session, q, paging)
    if nxt:
        response.headers[NEXT_CURSOR_HEADER] = nxt
    return rows
