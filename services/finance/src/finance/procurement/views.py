"""REST endpoints of contractors, procurements, adjustments, contracts and the data bureau's
supervision exemptions."""

from typing import Annotated

from fastapi import APIRouter, Query

from finance.procurement import flows, service
from finance.procurement.models import Contractor
from finance.procurement.schemas import (
    AdjustmentCreate,
    AdjustmentRead,
    BlacklistingCreate,
    BlacklistingRead,
    ContractCreate,
    ContractorCreate,
    ContractorRead,
    ContractRead,
    ProcurementCreate,
    ProcurementRead,
    SupervisionExemptionCreate,
    SupervisionExemptionRead,
    SupplementCreate,
)
from govit_kit.auth import PROJECT_READERS
from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(tags=["procurement and contracts"])
ProjectFilter = Annotated[str | None, Query(max_length=36)]


@router.post("/v1/contractors", response_model=ContractorRead, status_code=201)
async def register_contractor(body: ContractorCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Finance records a contractor and its qualifications (E2)."""
    async with rt.db.unit_of_work() as uow:
        contractor = await flows.register_contractor(uow=uow, who=who, data=body)
    return ContractorRead.model_validate(contractor)


@router.get("/v1/contractors/{contractor_id}", response_model=ContractorRead)
async def get_contractor(contractor_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A contractor and the end of its current ban."""
    who.org_scope(PROJECT_READERS)  # units and bureau roles; not cloud providers
    async with rt.db.sessions() as session:
        contractor = await session.get(Contractor, contractor_id)
        if contractor is None:
            raise NotFound("contractor not found")
        return await service.contractor_read(session, contractor, flows.local_today())


@router.post(
    "/v1/contractors/{contractor_id}/blacklistings",
    response_model=BlacklistingRead,
    status_code=201,
)
async def blacklist_contractor(
    contractor_id: str, body: BlacklistingCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Ban a contractor from awards until the ban ends (E2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.blacklist(
            uow=uow, profile=rt.profile, who=who, contractor_id=contractor_id, data=body
        )


@router.post("/v1/procurements", response_model=ProcurementRead, status_code=201)
async def record_procurement(body: ProcurementCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Record a procurement and its award (E1, E2)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_procurement(uow=uow, profile=rt.profile, who=who, data=body)


@router.get("/v1/procurements", response_model=Page[ProcurementRead])
async def list_procurements(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, project_id: ProjectFilter = None
):
    """Procurements the caller may see."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible_procurements(who, project_id), paging)
    return Page[ProcurementRead](
        items=[ProcurementRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.post("/v1/adjustments", response_model=AdjustmentRead, status_code=201)
async def record_adjustment(body: AdjustmentCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Finance records an approved adjustment (F2), the ground of supplementary contracts (E3)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_adjustment(uow=uow, who=who, data=body)


@router.post("/v1/contracts", response_model=ContractRead, status_code=201)
async def sign_contract(body: ContractCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Record a signed contract (E2, E4, E5, E6)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.sign_contract(uow=uow, profile=rt.profile, who=who, data=body)


@router.get("/v1/contracts", response_model=Page[ContractRead])
async def list_contracts(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, project_id: ProjectFilter = None
):
    """Contracts and supplements the caller may see."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible_contracts(who, project_id), paging)
    return Page[ContractRead](items=[ContractRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/v1/contracts/{contract_id}", response_model=ContractRead)
async def get_contract(contract_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One contract."""
    async with rt.db.sessions() as session:
        return await service.get_contract(session, who, contract_id)


@router.post(
    "/v1/contracts/{contract_id}/supplements", response_model=ContractRead, status_code=201
)
async def sign_supplement(
    contract_id: str, body: SupplementCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record a supplementary contract on an approved adjustment (E3)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.sign_supplement(
            uow=uow, profile=rt.profile, who=who, contract_id=contract_id, data=body
        )


@router.post("/v1/supervision-exemptions", response_model=SupervisionExemptionRead, status_code=201)
async def record_supervision_exemption(
    body: SupervisionExemptionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The data bureau exempts a project from supervision in writing, where the article asks
    for it only in principle (E6, SN P art29 原则上); refused citing E6 where it allows none."""
    async with rt.db.unit_of_work() as uow:
        return await flows.record_supervision_exemption(
            uow=uow, profile=rt.profile, who=who, data=body
        )


@router.get("/v1/supervision-exemptions", response_model=Page[SupervisionExemptionRead])
async def list_supervision_exemptions(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, project_id: ProjectFilter = None
):
    """The data bureau's supervision exemptions (E6) the caller may see (a unit: its own)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible_exemptions(who, project_id), paging)
    return Page[SupervisionExemptionRead](
        items=[SupervisionExemptionRead.model_validate(r) for r in rows], next_cursor=nxt
    )
