"""REST endpoints of payments and of the facts the gates read."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from finance.funding.models import ProjectCopy
from finance.payments import flows
from finance.payments.enums import FindingStatus, PaymentStatus
from finance.payments.models import (
    AuditFinding,
    DuplicateCollection,
    Payment,
    SystemStatus,
    UnitIntegration,
)
from finance.payments.schemas import (
    AuditFindingRead,
    DuplicateCollectionRead,
    DuplicateCollectionWrite,
    PaymentCreate,
    PaymentRead,
    PlanListingCreate,
    PlanListingRead,
    RectificationCreate,
    RectificationRead,
    SystemStatusRead,
    SystemStatusWrite,
    UnitIntegrationRead,
    UnitIntegrationWrite,
)
from govit_kit.auth import PROJECT_READERS
from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, idempotent

router = APIRouter(tags=["payments"])


@router.post("/v1/payments", response_model=PaymentRead, status_code=201)
async def request_payment(
    body: PaymentCreate, who: CurrentPrincipal, rt: CurrentRuntime, key: IdempotencyKey = None
):
    """Check a payment against the funding gates (I1-I6): 201 with status "approved" (paid) or
    "held" (I4), 422 refused. A retry with the same Idempotency-Key never pays twice."""

    async def pay(uow):
        payment = await flows.request_payment(uow=uow, profile=rt.profile, who=who, data=body)
        return PaymentRead.model_validate(payment)

    return await idempotent(
        rt, key=key, who=who, route="request_payment", request=body, status_code=201, action=pay
    )


@router.get("/v1/payments", response_model=Page[PaymentRead])
async def list_payments(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
    status: PaymentStatus | None = None,
):
    """Payments the caller may see (a unit: its own)."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(Payment).order_by(Payment.requested_at, Payment.id)
    if scope is not None:
        query = query.where(Payment.org_id == scope)
    if project_id:
        query = query.where(Payment.project_id == project_id)
    if status:
        query = query.where(Payment.status == status)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[PaymentRead](items=[PaymentRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/v1/payments/{payment_id}", response_model=PaymentRead)
async def get_payment(payment_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One payment and its gates' decisions."""
    async with rt.db.sessions() as session:
        payment = await session.get(Payment, payment_id)
    if payment is None:
        raise NotFound("payment not found")
    who.check_owner(payment.org_id, PROJECT_READERS, "payment")
    return payment


@router.post("/v1/plan-listings", response_model=PlanListingRead, status_code=201)
async def list_in_plan(body: PlanListingCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Record a project's listing in a year's annual plan (I2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.list_in_plan(uow=uow, who=who, data=body)


@router.put("/v1/projects/{project_id}/system-status", response_model=SystemStatusRead)
async def record_system_status(
    project_id: str, body: SystemStatusWrite, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record the system's acceptance and compliance (I3)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_system_status(uow=uow, who=who, project_id=project_id, data=body)


@router.put(
    "/v1/projects/{project_id}/duplicate-collection", response_model=DuplicateCollectionRead
)
async def record_duplicate_collection(
    project_id: Annotated[str, Path(max_length=36)],
    body: DuplicateCollectionWrite,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """The data bureau finds that the project's system collects data twice (重复采集数据), or
    clears the finding: no O&M funds while it stands (I3, YY art28)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_duplicate_collection(
            uow=uow, who=who, project_id=project_id, data=body
        )


@router.put("/v1/units/{org_id}/system-integration", response_model=UnitIntegrationRead)
async def record_unit_integration(
    org_id: Annotated[str, Path(min_length=1, max_length=64)],
    body: UnitIntegrationWrite,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """The data bureau finds that the unit failed to integrate its systems as required
    (应整合而未整合), or clears the finding: no O&M funds for the unit while it stands (I3,
    YY art30)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_unit_integration(uow=uow, who=who, org_id=org_id, data=body)


async def _project_fact(rt, who, model, project_id: str, what: str):
    """One I3 fact recorded on a project, for whoever may read the project (a unit: its own)."""
    async with rt.db.sessions() as session:
        copy = await session.get(ProjectCopy, project_id)
        fact = await session.get(model, project_id)
    if copy is None or fact is None:
        raise NotFound(f"no {what} recorded for this project")
    who.check_owner(copy.org_id, PROJECT_READERS, what)
    return fact


@router.get("/v1/projects/{project_id}/system-status", response_model=SystemStatusRead)
async def get_system_status(
    project_id: Annotated[str, Path(max_length=36)], who: CurrentPrincipal, rt: CurrentRuntime
):
    """The system's acceptance and compliance as finance recorded them (I3)."""
    return await _project_fact(rt, who, SystemStatus, project_id, "system status")


@router.get(
    "/v1/projects/{project_id}/duplicate-collection", response_model=DuplicateCollectionRead
)
async def get_duplicate_collection(
    project_id: Annotated[str, Path(max_length=36)], who: CurrentPrincipal, rt: CurrentRuntime
):
    """The data bureau's finding on the project's system collecting data twice (I3, YY art28)."""
    return await _project_fact(rt, who, DuplicateCollection, project_id, "duplicate collection")


@router.get("/v1/units/{org_id}/system-integration", response_model=UnitIntegrationRead)
async def get_unit_integration(
    org_id: Annotated[str, Path(min_length=1, max_length=64)],
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """The data bureau's finding on the unit integrating its systems (I3, YY art30)."""
    who.check_owner(org_id, PROJECT_READERS, "system integration finding")
    async with rt.db.sessions() as session:
        finding = await session.get(UnitIntegration, org_id)
    if finding is None:
        raise NotFound("no system integration finding recorded for this unit")
    return finding


@router.post("/v1/rectifications", response_model=RectificationRead, status_code=201)
async def order_rectification(body: RectificationCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Record a rectification order; the project's payments are held while it is open (I4)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.order_rectification(uow=uow, who=who, data=body)


@router.post("/v1/rectifications/{order_id}/closure", response_model=RectificationRead)
async def close_rectification(order_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """The rectification is done; held payments are checked again."""
    async with rt.db.unit_of_work() as uow:
        return await flows.close_rectification(
            uow=uow, profile=rt.profile, who=who, order_id=order_id
        )


@router.get("/v1/audit-findings", response_model=Page[AuditFindingRead])
async def list_audit_findings(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: FindingStatus | None = None,
    rule_id: Annotated[str | None, Query(pattern=r"^[A-L][0-9]{1,2}$")] = None,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """Audit's findings as finance received them, the oldest first (a unit: its own). This is
    how audit's notices reach finance, e.g. a late exit from the cloud (L7, SN C art16:
    通报审计部门和财政部门); an open one on a project holds its payments (I4)."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(AuditFinding).order_by(AuditFinding.raised_at, AuditFinding.finding_id)
    if scope is not None:
        query = query.where(AuditFinding.org_id == scope)
    if status:
        query = query.where(AuditFinding.status == status)
    if rule_id:
        query = query.where(AuditFinding.rule_id == rule_id)
    if project_id:
        query = query.where(AuditFinding.project_id == project_id)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    articles = {rule_id: entry.article for rule_id, entry in rt.profile.rules.items()}
    items = [
        AuditFindingRead.model_validate(r).model_copy(update={"article": articles.get(r.rule_id)})
        for r in rows
    ]
    return Page[AuditFindingRead](items=items, next_cursor=nxt)
