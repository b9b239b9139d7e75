"""REST endpoints of compliance findings (J1-J4)."""

from typing import Annotated

from fastapi import APIRouter, Query

from audit.compliance import flows, service
from audit.compliance.schemas import FindingDetail, FindingRead, FindingStatus, ResolutionCreate
from audit.log.views import entry_read
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(prefix="/v1/findings", tags=["compliance"])


@router.get("", response_model=Page[FindingRead])
async def list_findings(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: FindingStatus | None = None,
    rule_id: Annotated[str | None, Query(max_length=8)] = None,
    project_id: Annotated[str | None, Query(max_length=64)] = None,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
):
    """Findings, oldest first (a unit: those about its own organisation)."""
    query = service.visible(
        who, status=status, rule_id=rule_id, project_id=project_id, org_id=org_id
    )
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[FindingRead](items=[FindingRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/{finding_id}", response_model=FindingDetail)
async def get_finding(finding_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One finding with its evidence entries."""
    async with rt.db.sessions() as session:
        finding = await service.get(session, who, finding_id)
        entries = await service.evidence(session, finding)
    return FindingDetail(
        **FindingRead.model_validate(finding).model_dump(),
        evidence_entries=[entry_read(e) for e in entries],
    )


@router.post("/{finding_id}/resolution", response_model=FindingRead)
async def resolve_finding(
    finding_id: str, body: ResolutionCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """An auditor closes a finding with the reason; a second resolution is a 409."""
    async with rt.db.unit_of_work() as uow:
        finding = await flows.resolve(uow, who, finding_id, body.resolution)
    return FindingRead.model_validate(finding)
