"""REST endpoints of asset registration (G7: SN P art11, XY art20) and of the acceptance
reports filed with finance (G7: PDS P art18)."""

from typing import Annotated

from fastapi import APIRouter, Query

from finance.assets import flows, rules
from finance.assets.models import AssetRegistration
from finance.assets.schemas import (
    AcceptanceReportFilingRead,
    AssetEntryRead,
    AssetRegistrationCreate,
    AssetRegistrationRead,
    UnregisteredProject,
)
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(tags=["asset registration"])


def _read(row: AssetRegistration, entries) -> AssetRegistrationRead:
    return AssetRegistrationRead.model_validate(
        {
            **{k: getattr(row, k) for k in AssetRegistrationRead.model_fields if k != "entries"},
            "entries": [AssetEntryRead.model_validate(e) for e in entries],
        }
    )


@router.post(
    "/v1/projects/{project_id}/asset-registrations",
    response_model=AssetRegistrationRead,
    status_code=201,
)
async def register_assets(
    project_id: str, body: AssetRegistrationCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The unit registers the fixed and intangible assets its project formed (G7)."""
    async with rt.db.unit_of_work() as uow:
        row = await flows.register_assets(
            uow=uow, who=who, profile=rt.profile, project_id=project_id, data=body
        )
        entries = (await flows.entries_of(uow.session, [row.id]))[row.id]
        return _read(row, entries)


@router.get(
    "/v1/projects/{project_id}/asset-registrations", response_model=list[AssetRegistrationRead]
)
async def list_registrations(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A project's asset registrations (its unit, and the bureau roles: finance, audit, ...)."""
    async with rt.db.sessions() as session:
        await flows.project_for(session, who, project_id)
        rows = list(await session.scalars(flows.registrations_of(project_id)))
        entries = await flows.entries_of(session, [r.id for r in rows])
    return [_read(r, entries[r.id]) for r in rows]


@router.get("/v1/asset-registrations/unregistered", response_model=Page[UnregisteredProject])
async def unregistered(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Accepted projects whose assets are not registered (G7), each flagged without a deadline
    (the articles set none)."""
    query = flows.unregistered(who, rt.profile)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    flag = rules.unregistered(rt.profile).to_dict()
    return Page[UnregisteredProject](
        items=[
            UnregisteredProject(
                project_id=c.project_id,
                org_id=c.org_id,
                name=c.name,
                accepted=True,
                decisions=[flag],
            )
            for c in rows
        ],
        next_cursor=nxt,
    )


@router.get("/v1/acceptance-report-filings", response_model=Page[AcceptanceReportFilingRead])
async def list_report_filings(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """The acceptance reports units filed with finance after the final acceptance (G7, PDS P
    art18: 项目验收报告报…市财政局备案), as review recorded them, the earliest filed first (a unit:
    its own)."""
    query = flows.visible_report_filings(who, project_id)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[AcceptanceReportFilingRead](
        items=[AcceptanceReportFilingRead.model_validate(r) for r in rows], next_cursor=nxt
    )
