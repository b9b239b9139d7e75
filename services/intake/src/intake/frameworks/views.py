"""REST endpoints of framework plans (C5)."""

from typing import Literal

from fastapi import APIRouter

from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Role
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from intake.frameworks import service
from intake.frameworks.models import FrameworkPlan
from intake.frameworks.schemas import FrameworkOpinion, FrameworkPlanCreate, FrameworkPlanRead
from intake.orgs import service as orgs

router = APIRouter(prefix="/v1/framework-plans", tags=["framework plans"])


@router.post("", status_code=201, response_model=FrameworkPlanRead)
async def create(body: FrameworkPlanCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """The lead unit submits the plan naming participants, goals, data flows and interfaces."""
    who.require(Role.UNIT_STAFF)
    async with rt.db.unit_of_work() as uow:
        missing = await orgs.unknown(session=uow.session, org_ids=body.participant_org_ids)
        if missing:
            cite = f"{rt.profile.citation('C5')}: " if rt.profile.applies("C5") else ""
            raise InvalidInput(
                "participant_org_ids",
                f"{cite}the plan's participants are units, and intake knows no unit "
                f"{', '.join(missing)} (not on the register of units, no application on file)",
                **({"rule_id": "C5"} if cite else {}),
            )
        plan = FrameworkPlan(
            **body.model_dump(),
            lead_org_id=who.org_id,
            status="draft",
            created_by=who.subject,
        )
        uow.session.add(plan)
        await uow.session.flush()
        return FrameworkPlanRead.model_validate(plan)


@router.get("", response_model=Page[FrameworkPlanRead])
async def list_plans(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    status: Literal["draft", "approved"] | None = None,
):
    """The plans the caller may see (the bureaus all; a unit those it leads or joins), paged."""
    who.require(*UNIT_ROLES, *PROJECT_READERS)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.visible(who, status), paging)
    return Page[FrameworkPlanRead](
        items=[FrameworkPlanRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.get("/{plan_id}", response_model=FrameworkPlanRead)
async def get(plan_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A plan (its lead, its participants and the bureaus)."""
    async with rt.db.sessions() as session:
        return FrameworkPlanRead.model_validate(
            await service.get(session=session, plan_id=plan_id, who=who)
        )


@router.post("/{plan_id}/approve", response_model=FrameworkPlanRead)
async def approve(plan_id: str, body: FrameworkOpinion, who: CurrentPrincipal, rt: CurrentRuntime):
    """The data bureau's review opinion (YY art13: a required basis of every part's approval)."""
    who.require(Role.BUREAU_REVIEWER)
    async with rt.db.unit_of_work() as uow:
        plan = await service.get(session=uow.session, plan_id=plan_id, who=who)
        if plan.status == "approved":
            raise Conflict("the plan already has the bureau's opinion")
        plan.status, plan.bureau_opinion = "approved", body.opinion
        plan.approved_by, plan.approved_at = who.subject, utcnow()
        await uow.session.flush()
        return FrameworkPlanRead.model_validate(plan)
