"""REST endpoints of the system registry (K1-K6)."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from intake.systems import flows, service
from intake.systems.enums import SystemStatus
from intake.systems.schemas import ActionRead, LifecycleRequest, SystemCreate, SystemRead

router = APIRouter(prefix="/v1/systems", tags=["system registry"])


@router.post("", status_code=201, response_model=SystemRead)
async def register(body: SystemCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Register a system (data bureau)."""
    async with rt.db.unit_of_work() as uow:
        system = await flows.register(uow=uow, who=who, profile=rt.profile, data=body)
        return SystemRead.model_validate(system)


@router.get("", response_model=Page[SystemRead])
async def list_systems(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: SystemStatus | None = None,
    owner_org_id: Annotated[str | None, Query(max_length=64)] = None,
    idle_since: Annotated[dt.date | None, Query(description="unused since before (K6)")] = None,
):
    """Systems the caller may see (a unit its own), filtered."""
    query = service.visible(who, status=status, owner_org_id=owner_org_id, idle_since=idle_since)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[SystemRead](items=[SystemRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/{system_id}", response_model=SystemRead)
async def get(system_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One system."""
    async with rt.db.sessions() as session:
        return SystemRead.model_validate(
            await service.get(session=session, system_id=system_id, who=who)
        )


@router.post("/{system_id}/actions", response_model=SystemRead)
async def act(system_id: str, body: LifecycleRequest, who: CurrentPrincipal, rt: CurrentRuntime):
    """A lifecycle action: decommission (K1), merge (K2), promote (K3), transfer (K4),
    freeze / unfreeze (K5), each with its grounds and plan."""
    async with rt.db.unit_of_work() as uow:
        system = await flows.act(
            uow=uow, who=who, profile=rt.profile, system_id=system_id, request=body
        )
        return SystemRead.model_validate(system)


@router.get("/{system_id}/actions", response_model=list[ActionRead])
async def list_actions(system_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """The system's lifecycle actions."""
    async with rt.db.sessions() as session:
        await service.get(session=session, system_id=system_id, who=who)
        return [
            ActionRead.model_validate(a)
            for a in await service.actions(session=session, system_id=system_id)
        ]
