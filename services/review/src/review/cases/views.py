"""REST endpoints of review cases."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IfMatch, etag
from review.cases import flows, service
from review.cases.schemas import ConclusionCreate, ReviewCaseRead

router = APIRouter(prefix="/v1/cases", tags=["review cases"])


@router.get("", response_model=Page[ReviewCaseRead])
async def list_cases(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=36)] = None,
):
    """Cases the caller may see (a unit: its own), optionally of one project."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who, project_id), paging)
    return Page[ReviewCaseRead](
        items=[ReviewCaseRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.get("/{case_id}", response_model=ReviewCaseRead)
async def get_case(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response):
    """One case; its ETag guards the conclusion."""
    async with rt.db.sessions() as session:
        case = await service.get(session=session, case_id=case_id, who=who)
    response.headers["ETag"] = etag(case.version)
    return case


@router.post("/{case_id}/conclusion", response_model=ReviewCaseRead)
async def conclude_case(
    case_id: str,
    body: ConclusionCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Record the data bureau's conclusion (D3); If-Match guards against a concurrent change."""
    async with rt.db.unit_of_work() as uow:
        case = await flows.conclude(uow=uow, who=who, case_id=case_id, data=body, if_match=if_match)
    response.headers["ETag"] = etag(case.version)
    return case
