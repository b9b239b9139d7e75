"""REST endpoints of rectification orders and a unit's standing."""

from typing import Annotated

from fastapi import APIRouter, Query

from govit_kit.auth import PROJECT_READERS
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from review.rectification import flows, rules, service
from review.rectification.enums import OrderStatus
from review.rectification.schemas import OrderCreate, OrderRead, ResolutionCreate, UnitStanding

router = APIRouter(tags=["rectification"])


@router.post("/v1/rectifications", status_code=201, response_model=OrderRead)
async def issue(body: OrderCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Order a unit to rectify a finding by a deadline in working days."""
    async with rt.db.unit_of_work() as uow:
        return await flows.issue_order(
            uow=uow, who=who, profile=rt.profile, calendar=rt.calendar, data=body
        )


@router.get("/v1/rectifications", response_model=Page[OrderRead])
async def list_orders(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
    status: OrderStatus | None = None,
):
    """Orders the caller may see (a unit: its own)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, flows.visible(who, org_id, status), paging)
    return Page[OrderRead](items=[OrderRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/v1/rectifications/{order_id}", response_model=OrderRead)
async def get_order(order_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One order."""
    async with rt.db.sessions() as session:
        return await flows.get(session=session, order_id=order_id, who=who)


@router.post("/v1/rectifications/escalations", response_model=list[OrderRead])
async def escalate_overdue(who: CurrentPrincipal, rt: CurrentRuntime):
    """Escalate every overdue open order one step of the J1 ladder; returns those escalated.
    503 calendar-year-unknown if an overdue order's next deadline falls in a year no calendar
    covers: the others are escalated all the same, and that one on a retry once the year is in
    the profile's calendar_overrides."""
    async with rt.db.unit_of_work() as uow:
        done = await flows.escalate_overdue(
            uow=uow, who=who, profile=rt.profile, calendar=rt.calendar
        )
    if done.blocked:
        # The others are escalated and committed; a retry redoes none of them.
        raise done.blocked[0]  # the kit's 503 calendar-year-unknown, naming the year
    return done.escalated


@router.post("/v1/rectifications/{order_id}/resolution", response_model=OrderRead)
async def resolve(order_id: str, body: ResolutionCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """The bureau accepts the rectification."""
    async with rt.db.unit_of_work() as uow:
        return await flows.resolve(uow=uow, who=who, order_id=order_id, note=body.note)


@router.get("/v1/units/{org_id}/standing", response_model=UnitStanding)
async def standing(org_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Whether a unit may start new projects (J3): the bureau roles, or the unit itself."""
    who.check_owner(org_id, PROJECT_READERS, "unit")
    async with rt.db.sessions() as session:
        n = await service.open_security_orders(session=session, org_id=org_id)
    gate = rules.new_project_gate(rt.profile, n)
    return UnitStanding(
        org_id=org_id,
        open_security_orders=n,
        blocked=gate is not None,
        decisions=[gate.to_dict()] if gate else [],
    )
