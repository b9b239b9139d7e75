"""REST endpoints of asset registration (G7: SN P art11, XY art20)."""

from fastapi import APIRouter

from finance.assets import flows, rules
from finance.assets.models import AssetRegistration
from finance.assets.schemas import (
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
