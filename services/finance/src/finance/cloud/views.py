"""REST endpoints of units' funding types and cloud bills."""

from fastapi import APIRouter
from sqlalchemy import select

from finance.cloud import flows
from finance.cloud.models import CloudBill, CloudBillLine
from finance.cloud.schemas import (
    BillCreate,
    BillLineRead,
    BillRead,
    UnitFundingRead,
    UnitFundingWrite,
)
from govit_kit.auth import Role
from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime

router = APIRouter(tags=["cloud bills"])
BILL_READERS = (Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR)


def bill_read(bill: CloudBill, lines: list[CloudBillLine]) -> BillRead:
    read = BillRead.model_validate(bill)
    read.lines = [BillLineRead.model_validate(line) for line in lines]
    return read


@router.put("/v1/units/{org_id}/funding", response_model=UnitFundingRead)
async def record_unit_funding(
    org_id: str, body: UnitFundingWrite, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record a unit's level and funding guarantee, which decide who pays its cloud (L9)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_unit_funding(uow=uow, who=who, org_id=org_id, data=body)


@router.post("/v1/cloud-bills", response_model=BillRead, status_code=201)
async def settle_bill(body: BillCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """The data bureau's verified monthly bill (L10), split by who pays (L9, L11)."""
    async with rt.db.unit_of_work() as uow:
        bill, lines = await flows.settle_bill(uow=uow, profile=rt.profile, who=who, data=body)
    return bill_read(bill, lines)


@router.get("/v1/cloud-bills/{bill_id}", response_model=BillRead)
async def get_bill(bill_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A settled bill with its lines (data bureau, finance, audit)."""
    who.require(*BILL_READERS)
    async with rt.db.sessions() as session:
        bill = await session.get(CloudBill, bill_id)
        if bill is None:
            raise NotFound("cloud bill not found")
        lines = (
            await session.execute(
                select(CloudBillLine)
                .where(CloudBillLine.bill_id == bill.id)
                .order_by(CloudBillLine.org_id, CloudBillLine.id)
            )
        ).scalars()
        return bill_read(bill, list(lines))
