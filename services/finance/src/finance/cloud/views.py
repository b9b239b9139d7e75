"""REST endpoints of units' funding types and cloud bills."""

from fastapi import APIRouter
from sqlalchemy import select

from finance.cloud import flows
from finance.cloud.models import BrokerBillLine, CloudBill, CloudBillLine
from finance.cloud.schemas import (
    AssessmentCreate,
    AssessmentRead,
    BillCreate,
    BillLineRead,
    BillRead,
    BrokerBillVerify,
    BrokerMonthRead,
    PendingBrokerLineRead,
    PendingBrokerLines,
    ProviderContractRead,
    ProviderContractWrite,
    SettlementCreate,
    SettlementRead,
    UnitFundingRead,
    UnitFundingWrite,
)
from govit_kit.auth import Role
from govit_kit.errors import NotFound
from govit_kit.http import (
    CurrentPrincipal,
    CurrentRuntime,
    OptionalPaging,
    fetch_all_or_page,
)
from govit_kit.values import IdPath

router = APIRouter(tags=["cloud bills"])
BILL_READERS = (Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR)


def bill_read(bill: CloudBill, lines: list[CloudBillLine]) -> BillRead:
    read = BillRead.model_validate(bill)
    read.lines = [BillLineRead.model_validate(line) for line in lines]
    return read


@router.put("/v1/units/{org_id}/funding", response_model=UnitFundingRead)
async def record_unit_funding(
    org_id: IdPath, body: UnitFundingWrite, who: CurrentPrincipal, rt: CurrentRuntime
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


@router.post("/v1/cloud-bills/broker-verifications", response_model=BillRead, status_code=201)
async def settle_broker_bill(body: BrokerBillVerify, who: CurrentPrincipal, rt: CurrentRuntime):
    """The bureau verifies the month's bill lines cloud-broker issued for a platform (L10, L11);
    finance splits them by who pays (L9)."""
    async with rt.db.unit_of_work() as uow:
        bill, lines = await flows.settle_broker_bill(
            uow=uow, profile=rt.profile, who=who, data=body
        )
    return bill_read(bill, lines)


@router.get("/v1/broker-bill-lines", response_model=PendingBrokerLines)
async def pending_broker_lines(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: OptionalPaging,
    platform_id: str | None = None,
    month: str | None = None,
):
    """Cloud-broker's bill lines no bill settles yet, oldest month first (L10); a line whose
    month already has a settled bill of its platform is marked late (a supplementary bill).
    `months`: each platform's month waiting for the bureau, with cloud-broker's close of it
    (how many lines, what total) when it has arrived, and how many have. Every pending line
    unless `limit` or `cursor` is given: then one page of them, the next page's cursor in
    `next_cursor` (null on the last page), and `months` whole on every page."""
    who.require(*BILL_READERS)
    async with rt.db.sessions() as session:
        query = select(BrokerBillLine).where(BrokerBillLine.bill_id.is_(None))
        if platform_id:
            query = query.where(BrokerBillLine.platform_id == platform_id)
        if month:
            query = query.where(BrokerBillLine.period == month)
        pending, nxt = await fetch_all_or_page(
            session,
            query.order_by(
                BrokerBillLine.period,
                BrokerBillLine.platform_id,
                BrokerBillLine.org_id,
                BrokerBillLine.bill_line_id,
            ),
            paging,
        )
        settled: dict[tuple[str, str], list[str]] = {}
        if pending:
            bills = await session.execute(
                select(CloudBill.provider_id, CloudBill.month, CloudBill.id)
                .where(
                    CloudBill.provider_id.in_({p.platform_id for p in pending}),
                    CloudBill.month.in_({p.period for p in pending}),
                )
                .order_by(CloudBill.supplement)
            )
            for provider, period, bill_id in bills.all():
                settled.setdefault((provider, period), []).append(bill_id)
        months = await flows.waiting_months(session, platform_id, month)
    items = []
    for p in pending:
        read = PendingBrokerLineRead.model_validate(p)
        read.settled_bills = settled.get((p.platform_id, p.period), [])
        read.late = bool(read.settled_bills)
        items.append(read)
    return PendingBrokerLines(
        items=items,
        months=[BrokerMonthRead.model_validate(m) for m in months],
        next_cursor=nxt,
    )


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


@router.put("/v1/cloud-providers/{provider_id}/contract", response_model=ProviderContractRead)
async def record_provider_contract(
    provider_id: IdPath, body: ProviderContractWrite, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The service contract's standard and the share withheld for a failed quarter (L18)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_provider_contract(
            uow=uow, profile=rt.profile, who=who, provider_id=provider_id, data=body
        )


@router.post(
    "/v1/cloud-providers/{provider_id}/assessments",
    response_model=AssessmentRead,
    status_code=201,
)
async def assess_provider(
    provider_id: IdPath, body: AssessmentCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The data bureau's quarterly assessment of a provider (L18)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.assess_provider(
            uow=uow, profile=rt.profile, who=who, provider_id=provider_id, data=body
        )


@router.post(
    "/v1/cloud-providers/{provider_id}/settlements",
    response_model=SettlementRead,
    status_code=201,
)
async def settle_year(
    provider_id: IdPath, body: SettlementCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The provider's annual settlement, tied to its quarterly assessments (L18)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.settle_year(
            uow=uow, profile=rt.profile, who=who, provider_id=provider_id, year=body.year
        )
