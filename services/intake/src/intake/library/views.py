"""REST endpoints of the project library, the annual plan and funding eligibility (B2)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select

from govit_kit.http import (
    CurrentPrincipal,
    CurrentRuntime,
    OptionalPaging,
    Page,
    Paging,
    fetch_all_or_page,
    fetch_page,
)
from govit_kit.idempotency import IfMatch, etag
from intake.library import flows, service
from intake.library.models import AnnualPlan
from intake.library.schemas import (
    ActualsUpdate,
    BaselineUpdate,
    FundingEligibility,
    LibraryEntryRead,
    PlanCreate,
    PlanItemCreate,
    PlanItemRead,
    PlanRead,
    PlanWithItemsRead,
    RollingYear,
)

router = APIRouter(tags=["library and annual plan"])


@router.get("/v1/library", response_model=Page[LibraryEntryRead])
async def list_library(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Library projects the caller may see (a unit its own)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible_entries(who), paging)
        items = [await service.entry_read(session=session, row=r) for r in rows]
    return Page[LibraryEntryRead](items=items, next_cursor=nxt)


@router.get("/v1/library/{project_id}", response_model=LibraryEntryRead)
async def get_entry(project_id: str, who: CurrentPrincipal, rt: CurrentRuntime, response: Response):
    """A library project: planned and actual side by side, and every rebaseline."""
    async with rt.db.sessions() as session:
        row = await service.entry(session=session, project_id=project_id, who=who)
        read = await service.entry_read(session=session, row=row)
    response.headers["ETag"] = etag(read.version)
    return read


@router.put("/v1/library/{project_id}/baseline", response_model=LibraryEntryRead)
async def set_baseline(
    project_id: str,
    body: BaselineUpdate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    if_match: IfMatch = None,
):
    """Set planned cost and dates (data bureau); a change of a set value needs a reason."""
    async with rt.db.unit_of_work() as uow:
        row = await flows.set_baseline(
            uow=uow, who=who, project_id=project_id, data=body, if_match=if_match
        )
        return await service.entry_read(session=uow.session, row=row)


@router.put("/v1/library/{project_id}/actuals", response_model=LibraryEntryRead)
async def report_actuals(
    project_id: str, body: ActualsUpdate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """Record actual cost and dates."""
    async with rt.db.unit_of_work() as uow:
        row = await flows.report_actuals(uow=uow, who=who, project_id=project_id, data=body)
        return await service.entry_read(session=uow.session, row=row)


@router.post("/v1/annual-plans", status_code=201, response_model=PlanRead)
async def create_plan(body: PlanCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Open a year's annual plan (data bureau)."""
    async with rt.db.unit_of_work() as uow:
        return PlanRead.model_validate(await flows.create_plan(uow=uow, who=who, data=body))


@router.get("/v1/annual-plans", response_model=Page[PlanRead])
async def list_plans(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Annual plans, newest first (without items)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(
            session, select(AnnualPlan).order_by(AnnualPlan.year.desc()), paging
        )
    return Page[PlanRead](items=[PlanRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/v1/annual-plans/rolling", response_model=list[RollingYear])
async def rolling_plan(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    from_year: Annotated[int, Query(ge=2000, le=2100)],
):
    """B5 (YY art4): the rolling plan, the profile's number of years from `from_year`, each with
    its plan's status, the caller's visible items and their planned cost."""
    async with rt.db.sessions() as session:
        return await service.rolling(
            session=session, profile=rt.profile, from_year=from_year, who=who
        )


# A plan year as from_year is bounded: a year out of range is a 422, not a database overflow.
PlanYear = Annotated[int, Path(ge=2000, le=2100, description="plan year")]


@router.get("/v1/annual-plans/{year}", response_model=PlanWithItemsRead)
async def get_plan(
    year: PlanYear, who: CurrentPrincipal, rt: CurrentRuntime, paging: OptionalPaging
):
    """A plan with the items the caller may see (a unit its own), in the order added: every
    item unless `limit` or `cursor` is given, then one page of them and `next_cursor`."""
    async with rt.db.sessions() as session:
        plan = await service.plan(session=session, year=year)
        items, nxt = await fetch_all_or_page(session, service.visible_plan_items(year, who), paging)
        read = PlanWithItemsRead.model_validate(plan)
        read.items = [PlanItemRead.model_validate(i) for i in items]
        read.next_cursor = nxt
    return read


@router.post("/v1/annual-plans/{year}/items", status_code=201, response_model=PlanItemRead)
async def add_item(year: PlanYear, body: PlanItemCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Put a library project on the plan (B4 priority type and reason; A3 for emergencies)."""
    async with rt.db.unit_of_work() as uow:
        item = await flows.add_item(uow=uow, who=who, profile=rt.profile, year=year, data=body)
        return PlanItemRead.model_validate(item)


@router.post("/v1/annual-plans/{year}/adopt", response_model=PlanRead)
async def adopt(year: PlanYear, who: CurrentPrincipal, rt: CurrentRuntime):
    """Adopt the plan. The answer is the adopted plan with every item, as `GET` shows it: an
    item J1 kept out carries its decision in `left_out`."""
    async with rt.db.unit_of_work() as uow:
        read = PlanRead.model_validate(
            await flows.adopt(uow=uow, who=who, profile=rt.profile, year=year)
        )
        items = await service.plan_items(session=uow.session, year=year, who=who)
        read.items = [PlanItemRead.model_validate(i) for i in items]
        return read


@router.get("/v1/projects/{project_id}/funding-eligibility", response_model=FundingEligibility)
async def funding_eligibility(
    project_id: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    fiscal_year: Annotated[int, Query(ge=2000, le=2100)],
):
    """May the project move to funding in this fiscal year? Refused, citing B2, when it is not
    on that year's annual plan. Finance asks the same over gRPC (CheckFundingEligibility)."""
    async with rt.db.sessions() as session:
        decision = await service.funding_eligibility(
            session=session,
            profile=rt.profile,
            project_id=project_id,
            fiscal_year=fiscal_year,
            who=who,
        )
    return FundingEligibility(
        project_id=project_id,
        fiscal_year=fiscal_year,
        allowed=decision.outcome == "allow",
        decisions=[decision.to_dict()],
    )
