"""REST endpoints of organisations, their security rectifications (J3), I3 grounds and J1
deferrals."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IfMatch, etag
from govit_kit.values import IdPath
from intake.orgs import flows, service
from intake.orgs.enums import OrgLevel
from intake.orgs.schemas import (
    GroundRead,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    RectificationCreate,
    RectificationRead,
)

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])
RectId = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")]


@router.post("", status_code=201, response_model=OrganisationRead)
async def register(body: OrganisationCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Register a unit (data bureau or county authority)."""
    async with rt.db.unit_of_work() as uow:
        org = await flows.register(uow=uow, who=who, profile=rt.profile, data=body)
        return OrganisationRead.model_validate(org)


@router.put("/{org_id}", response_model=OrganisationRead)
async def update(
    org_id: str,
    body: OrganisationUpdate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Replace a unit's record (If-Match: the ETag it was read at)."""
    async with rt.db.unit_of_work() as uow:
        org = await flows.update(
            uow=uow, who=who, profile=rt.profile, org_id=org_id, data=body, if_match=if_match
        )
        read = OrganisationRead.model_validate(org)
    response.headers["ETag"] = etag(read.version)
    return read


@router.get("/{org_id}", response_model=OrganisationRead)
async def get(org_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response):
    """One unit (a unit sees only its own)."""
    async with rt.db.sessions() as session:
        org = await service.get(session=session, org_id=org_id, who=who)
    response.headers["ETag"] = etag(org.version)
    return org


@router.get("", response_model=Page[OrganisationRead])
async def list_organisations(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    level: OrgLevel | None = None,
    parent_org_id: Annotated[str | None, Query(max_length=64)] = None,
):
    """Units the caller may see, by id."""
    query = service.visible(who, level=level, parent_org_id=parent_org_id)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[OrganisationRead](
        items=[OrganisationRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.put("/{org_id}/rectifications/{rectification_id}", response_model=RectificationRead)
async def open_rectification(
    org_id: IdPath,
    rectification_id: RectId,
    body: RectificationCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
):
    """Record an open security rectification of a unit (J3): it blocks new submissions."""
    async with rt.db.unit_of_work() as uow:
        row = await flows.open_rectification(
            uow=uow,
            who=who,
            profile=rt.profile,
            org_id=org_id,
            rectification_id=rectification_id,
            data=body,
        )
        return RectificationRead.model_validate(row)


@router.post("/{org_id}/rectifications/{rectification_id}/close", response_model=RectificationRead)
async def close_rectification(
    org_id: IdPath, rectification_id: RectId, who: CurrentPrincipal, rt: CurrentRuntime
):
    """The rectification is done."""
    async with rt.db.unit_of_work() as uow:
        row = await flows.close_rectification(
            uow=uow, who=who, profile=rt.profile, org_id=org_id, rectification_id=rectification_id
        )
        return RectificationRead.model_validate(row)


@router.get("/{org_id}/grounds", response_model=list[GroundRead])
async def grounds(org_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Finance's I3 grounds of the unit as intake holds them (YY art28, art30): while one stands,
    the profile may bar the unit's new projects; where J1 applies, the orders that deferred its
    investment plan (SN P art37, YY art32) after them (a unit sees only its own)."""
    async with rt.db.sessions() as session:
        return await service.grounds_read(
            session=session, profile=rt.profile, org_id=org_id, who=who
        )
