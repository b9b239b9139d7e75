"""REST endpoints of the expert and agency pools and the draws."""

from fastapi import APIRouter, Response
from sqlalchemy import select

from govit_kit.auth import PROJECT_READERS, Role
from govit_kit.errors import Forbidden
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page
from govit_kit.idempotency import IdempotencyKey, IfMatch, etag, idempotent
from review.cases import service as cases
from review.pools import flows, service
from review.pools.enums import Pool
from review.pools.models import Draw
from review.pools.schemas import (
    AssignmentRead,
    DeclineCreate,
    DrawCreate,
    DrawRead,
    DrawVerification,
    PoolMemberCreate,
    PoolMemberRead,
    PoolMemberUpdate,
)

router = APIRouter(tags=["expert and agency pools"])


@router.post("/v1/pool-members", status_code=201, response_model=PoolMemberRead)
async def register_member(
    body: PoolMemberCreate, who: CurrentPrincipal, rt: CurrentRuntime, key: IdempotencyKey = None
):
    """Add an expert or an agency to a pool (D6)."""

    async def action(uow):
        member = await flows.register_member(uow=uow, who=who, data=body)
        return PoolMemberRead.model_validate(member)

    return await idempotent(
        rt,
        key=key,
        who=who,
        route="POST /v1/pool-members",
        request=body,
        status_code=201,
        action=action,
    )


@router.get("/v1/pool-members", response_model=Page[PoolMemberRead])
async def list_members(
    who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging, pool: Pool | None = None
):
    """The pool (bureau reviewers and auditors)."""
    who.require(*service.POOL_READERS)
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.members(pool), paging)
    return Page[PoolMemberRead](
        items=[PoolMemberRead.model_validate(r) for r in rows], next_cursor=nxt
    )


@router.patch("/v1/pool-members/{member_id}", response_model=PoolMemberRead)
async def update_member(
    member_id: str,
    body: PoolMemberUpdate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    response: Response,
    if_match: IfMatch = None,
):
    """Change availability, specialties or declared conflicts."""
    async with rt.db.unit_of_work() as uow:
        member = await flows.update_member(
            uow=uow, who=who, member_id=member_id, data=body, if_match=if_match
        )
    response.headers["ETag"] = etag(member.version)
    return member


@router.post("/v1/cases/{case_id}/draws", status_code=201, response_model=DrawRead)
async def draw(
    case_id: str,
    body: DrawCreate,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    key: IdempotencyKey = None,
):
    """Draw members for a case at random; the seed and candidates are recorded. Once per pool
    and specialty (409 after); a retry with the same Idempotency-Key replays the draw."""

    async def action(uow):
        made = await flows.draw_for_case(
            uow=uow, who=who, profile=rt.profile, case_id=case_id, data=body
        )
        return DrawRead.model_validate(made)

    return await idempotent(
        rt,
        key=key,
        who=who,
        route=f"POST /v1/cases/{case_id}/draws",
        request=body,
        status_code=201,
        action=action,
    )


@router.get("/v1/cases/{case_id}/draws", response_model=list[DrawRead])
async def list_draws(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """A case's draws, redraws included (bureau reviewers and auditors)."""
    who.require(*service.POOL_READERS)
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        rows = await session.scalars(
            select(Draw).where(Draw.case_id == case_id).order_by(Draw.drawn_at, Draw.id)
        )
        return list(rows)


@router.get("/v1/cases/{case_id}/assignments", response_model=list[AssignmentRead])
async def list_assignments(case_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Who is drawn for a case: the bureau roles see all; a drawn expert only their own; the
    applicant unit none (the experts' names are not the applicant's to know)."""
    async with rt.db.sessions() as session:
        await cases.get(session=session, case_id=case_id, who=who)
        rows = await service.assignments_of(session=session, case_id=case_id)
    if who.has(*PROJECT_READERS):
        return rows
    if who.has(Role.EXPERT):
        return [a for a in rows if a.subject == who.subject]
    raise Forbidden("the applicant does not see who was drawn")


@router.post(
    "/v1/assignments/{assignment_id}/decline", status_code=201, response_model=AssignmentRead
)
async def decline(
    assignment_id: str, body: DeclineCreate, who: CurrentPrincipal, rt: CurrentRuntime
):
    """A drawn member declines; returns their assignment, declined. The redraw it records (201)
    is read with the case's draws by those who may (`GET /v1/cases/{id}/draws`): its seed,
    candidates and replacement are not the declining expert's to know."""
    async with rt.db.unit_of_work() as uow:
        return await flows.decline(
            uow=uow, who=who, profile=rt.profile, assignment_id=assignment_id, reason=body.reason
        )


@router.get("/v1/draws/{draw_id}/verification", response_model=DrawVerification)
async def verify_draw(draw_id: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Re-run a draw from its record and compare (auditors and bureau reviewers)."""
    who.require(*service.POOL_READERS)
    async with rt.db.sessions() as session:
        recorded = await service.get_draw(session=session, draw_id=draw_id)
        return flows.verify(recorded)
