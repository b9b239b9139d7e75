"""REST endpoints of usage and bills."""

from decimal import Decimal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from cloud_broker.billing import flows
from cloud_broker.billing.models import BillLine
from cloud_broker.utilisation.schemas import ClassificationCreate, Period
from govit_kit.auth import Role
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


@router.post("/runs")
async def run_month(body: ClassificationCreate, who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """Bill a month (cloud administrators, once per month)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.run_month(uow=uow, rt=rt, who=who, period=body.period)


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
