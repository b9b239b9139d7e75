"""REST endpoints of review cases."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IfMatch, etag
from review.cases import flows, service
from review.cases.schemas import (
    ConclusionCreate,
    DeclaredAttributes,
    OverruleCreate,
    PreCheckRead,
    ReviewCaseRead,
)

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


@router.put("/{case_id}/attributes", response_model=ReviewCaseRead)
async def declare_attributes(
    case_id: str,
    body: DeclaredAttributes,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Declare the project's attributes; the D5/D8 pre-checks run again."""
    async with rt.db.unit_of_work() as uow:
        case = await flows.declare_attributes(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body, if_match=if_match
        )
    response.headers["ETag"] = etag(case.version)
    return case


@router.get("/{case_id}/pre-checks", response_model=list[PreCheckRead])
async def list_pre_checks(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's pre-checks, with their rule, article and status."""
    async with rt.db.sessions() as session:
        await service.get(session=session, case_id=case_id, who=who)
        return await service.pre_checks_of(session=session, case_id=case_id)


@router.post("/{case_id}/pre-checks/{pre_check_id}/overrule", response_model=PreCheckRead)
async def overrule_pre_check(
    case_id: str, pre_check_id: str, body: OverruleCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """A bureau reviewer overrules a pre-check with a written reason."""
    async with rt.db.unit_of_work() as uow:
        return await flows.overrule_pre_check(
            uow=uow, who=who, case_id=case_id, pre_check_id=pre_check_id, reason=body.reason
        )
