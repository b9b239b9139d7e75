"""REST endpoints of the provider API (Open Service Broker semantics)."""

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from cloud_broker.provider import flows, obligations
from cloud_broker.provider.enums import OrderStatus
from cloud_broker.provider.schemas import (
    CompleteBody,
    DrillCreate,
    DrillRead,
    FailBody,
    LeaseBody,
    OperationRead,
    PlatformChangeCreate,
    ProgressBody,
    ReportCreate,
    WipeBody,
    WorkOrderRead,
)
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(prefix="/v1/provider", tags=["provider API"])
Identity = Annotated[
    str | None,
    Header(
        alias=flows.ORIGINATING_IDENTITY,
        max_length=2000,
        description="Who at the provider's end caused the call: `<platform> <base64 JSON>`.",
    ),
]


def _accepted(op) -> JSONResponse:
    """202 with the operation to poll (OSB: long operations answer 202)."""
    body = OperationRead.model_validate(op).model_dump()
    return JSONResponse(
        body, status_code=202, headers={"Location": f"/v1/provider/operations/{op.id}"}
    )


@router.get("/work-orders", response_model=Page[WorkOrderRead])
async def list_orders(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, status: OrderStatus | None = None
):
    """The caller's platform's work orders, oldest first."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(
            session, flows.visible(who, status.value if status else None), paging
        )
    return Page[WorkOrderRead](
        items=[WorkOrderRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.get("/work-orders/{order_id}", response_model=WorkOrderRead)
async def get_order(order_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One order of the caller's platform (404 for another's)."""
    async with rt.db.sessions() as session:
        return await flows.get_order(session=session, who=who, order_id=order_id)


@router.post("/work-orders/{order_id}/claim", response_model=WorkOrderRead)
async def claim(
    order_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    body: LeaseBody | None = None,
    identity: Identity = None,
):
    """Claim a queued order under a lease."""
    ident = flows.parse_identity(identity)
    async with rt.db.unit_of_work() as uow:
        return await flows.claim(
            uow=uow,
            rt=rt,
            who=who,
            order_id=order_id,
            lease_seconds=body.lease_seconds if body else None,
            identity=ident,
        )


@router.post("/work-orders/{order_id}/lease", response_model=WorkOrderRead)
async def renew(
    order_id: str, who: CurrentPrincipal, rt: CurrentRuntime, body: LeaseBody | None = None
):
    """Renew the lease while working."""
    async with rt.db.unit_of_work() as uow:
        return await flows.renew(
            uow=uow,
            rt=rt,
            who=who,
            order_id=order_id,
            lease_seconds=body.lease_seconds if body else None,
        )


@router.post("/work-orders/{order_id}/progress", response_model=WorkOrderRead)
async def progress(
    order_id: str,
    body: ProgressBody,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    identity: Identity = None,
):
    """Report progress."""
    ident = flows.parse_identity(identity)
    async with rt.db.unit_of_work() as uow:
        return await flows.progress(
            uow=uow,
            who=who,
            order_id=order_id,
            percent=body.percent,
            note=body.note,
            identity=ident,
        )


@router.post("/work-orders/{order_id}/complete", status_code=202, response_model=OperationRead)
async def complete(
    order_id: str,
    body: CompleteBody,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    identity: Identity = None,
):
    """Report the order done; 202 with the operation (an identical repeat returns it again)."""
    ident = flows.parse_identity(identity)
    async with rt.db.unit_of_work() as uow:
        op = await flows.complete(
            uow=uow,
            rt=rt,
            who=who,
            order_id=order_id,
            resource_ids=body.resource_ids,
            identity=ident,
        )
    return _accepted(op)


@router.post("/work-orders/{order_id}/fail", status_code=202, response_model=OperationRead)
async def fail(
    order_id: str,
    body: FailBody,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    identity: Identity = None,
):
    """Report that the work failed; the broker cleans up."""
    ident = flows.parse_identity(identity)
    async with rt.db.unit_of_work() as uow:
        op = await flows.fail(
            uow=uow, rt=rt, who=who, order_id=order_id, reason=body.reason, identity=ident
        )
    return _accepted(op)


@router.post(
    "/work-orders/{order_id}/wipe-attestation", status_code=202, response_model=OperationRead
)
async def attest_wipe(
    order_id: str,
    body: WipeBody,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    identity: Identity = None,
):
    """L7: attest the data wipe of a deprovision order's resources; where L17 applies, with the
    day until which their operation logs are kept."""
    ident = flows.parse_identity(identity)
    async with rt.db.unit_of_work() as uow:
        op = await flows.attest_wipe(
            uow=uow,
            who=who,
            order_id=order_id,
            resource_ids=body.resource_ids,
            method=body.method,
            attested_by=body.attested_by,
            logs_kept_until=body.operation_logs_kept_until,
            identity=ident,
            profile=rt.profile,
        )
    return _accepted(op)


@router.get("/operations/{operation_id}", response_model=OperationRead)
async def get_operation(operation_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Poll an operation."""
    async with rt.db.sessions() as session:
        return await flows.get_operation(session=session, who=who, operation_id=operation_id)


@router.post("/reports", status_code=201)
async def file_report(body: ReportCreate, who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """File the monthly report (L13); one per platform and month."""
    sections = body.model_dump(exclude={"period"})
    async with rt.db.unit_of_work() as uow:
        report = await obligations.file_report(
            uow=uow, rt=rt, who=who, period=body.period, sections=sections
        )
        return {
            "id": report.id,
            "period": report.period,
            "late": report.late,
            "decisions": report.decisions,
        }


@router.post("/platform-changes", status_code=201)
async def file_platform_change(
    body: PlatformChangeCreate, who: CurrentPrincipal, rt: CurrentRuntime
) -> dict:
    """File a planned platform change (L14: a major one at least the profile's working days
    ahead, users told; otherwise it is flagged)."""
    async with rt.db.unit_of_work() as uow:
        change = await obligations.file_change(
            uow=uow,
            rt=rt,
            who=who,
            title=body.title,
            plan=body.plan,
            major=body.major,
            users_notified=body.users_notified,
            starts_at=body.starts_at,
        )
        return {"id": change.id, "decisions": change.decisions}


@router.post("/drills", status_code=201, response_model=DrillRead)
async def record_drill(body: DrillCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Record an emergency drill the provider held (L15; PDS C art14: at least 2 a year); one
    per platform and day; a day after today (China) is a 422 on `held_on`."""
    async with rt.db.unit_of_work() as uow:
        drill = await obligations.record_drill(
            uow=uow, rt=rt, who=who, held_on=body.held_on, summary=body.summary
        )
        return DrillRead.model_validate(drill)


@router.get("/drills", response_model=Page[DrillRead])
async def list_drills(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
):
    """Recorded drills, oldest first (a year's, with `year`): a provider its own platform's,
    the bureau and audit every platform's."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, obligations.visible_drills(who, year), paging)
    return Page[DrillRead](items=[DrillRead.model_validate(r) for r in rows], next_cursor=nxt)
