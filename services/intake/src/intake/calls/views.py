"""REST endpoints of demand calls."""

from fastapi import APIRouter
from sqlalchemy import select

from govit_kit.errors import NotFound
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from intake.calls import flows
from intake.calls.models import DemandCall
from intake.calls.schemas import DemandCallCreate, DemandCallRead

router = APIRouter(prefix="/v1/demand-calls", tags=["demand calls"])


@router.post("", status_code=201, response_model=DemandCallRead)
async def open_call(body: DemandCallCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Open the demand call of a plan year (data bureau)."""
    async with rt.db.unit_of_work() as uow:
        call = await flows.open_call(uow=uow, who=who, profile=rt.profile, data=body)
        return DemandCallRead.model_validate(call)


@router.get("/{call_id}", response_model=DemandCallRead)
async def get_call(call_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One call (public to every signed-in unit: it is an announcement)."""
    async with rt.db.sessions() as session:
        call = await session.get(DemandCall, call_id)
    if call is None:
        raise NotFound("demand call not found")
    return call


@router.get("", response_model=Page[DemandCallRead])
async def list_calls(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Calls, newest plan year first."""
    query = select(DemandCall).order_by(DemandCall.plan_year.desc())
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[DemandCallRead](
        items=[DemandCallRead.model_validate(r) for r in rows], next_cursor=nxt
    )
