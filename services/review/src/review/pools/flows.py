"""Use cases of the pools: register and update members, draw for a case, decline and redraw."""

import secrets

from sqlalchemy import select

from govit.review.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden
from govit_kit.idempotency import check_if_match
from govit_kit.policy import PolicyProfile
from govit_kit.uow import UnitOfWork
from review.cases import service as cases
from review.cases.enums import CaseStatus, Track
from review.cases.models import ReviewCase
from review.pools import rules, service
from review.pools.enums import AssignmentStatus, DrawKind
from review.pools.models import Assignment, Draw, PoolMember
from review.pools.schemas import DrawCreate, PoolMemberCreate, PoolMemberUpdate


async def register_member(*, uow: UnitOfWork, who: Principal, data: PoolMemberCreate) -> PoolMember:
    """The bureau adds an expert or agency to its pool (D6: 建立和管理专家库和专业机构库)."""
    who.require(Role.BUREAU_REVIEWER)
    member = PoolMember(**data.model_dump(), created_at=utcnow())
    member.pool = data.pool.value
    uow.session.add(member)
    await uow.session.flush()
    await uow.emit(
        "pool_member",
        "registered",
        events_pb2.PoolMemberRegistered(
            member_id=member.id,
            pool=member.pool,
            name=member.name,
            employer_org_id=member.employer_org_id or "",
            specialties=member.specialties,
            available=member.available,
            conflicts=member.conflicts,
            registered_by=to_actor(who),
        ),
        subject=member.id,
    )
    return member


async def update_member(
    *,
    uow: UnitOfWork,
    who: Principal,
    member_id: str,
    data: PoolMemberUpdate,
    if_match: str | None,
) -> PoolMember:
    """Availability, specialties or declared conflicts change; the record keeps its version."""
    who.require(Role.BUREAU_REVIEWER)
    member = await service.get_member(session=uow.session, member_id=member_id)
    check_if_match(if_match, member.version)
    for field, value in data.model_dump(exclude_none=True).items():
        setattr(member, field, value)
    await uow.session.flush()
    await uow.emit(
        "pool_member",
        "updated",
        events_pb2.PoolMemberUpdated(
            member_id=member.id,
            specialties=member.specialties,
            available=member.available,
            conflicts=member.conflicts,
            version=member.version,
            updated_by=to_actor(who),
        ),
        subject=member.id,
    )
    return member


async def _eligible(uow: UnitOfWork, case: ReviewCase, pool: str, specialty: str):
    """Candidates and exclusions for a case, from the pool as it is now."""
    rows = (await uow.session.scalars(service.members(pool))).all()
    drawn = [
        a.member_id for a in await service.assignments_of(session=uow.session, case_id=case.id)
    ]
    return rules.eligibility(
        [
            rules.Member(
                m.id, tuple(m.specialties), m.available, m.employer_org_id, tuple(m.conflicts)
            )
            for m in rows
        ],
        specialty=specialty,
        applicant_org_id=case.org_id,
        involved=(case.org_id, case.project_id, case.contractor or ""),
        already_drawn=drawn,
    )


async def _record_draw(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    case: ReviewCase,
    pool: str,
    specialty: str,
    count: int,
    kind: DrawKind,
    replaces: Assignment | None = None,
) -> Draw:
    """Draw, record seed, candidates and pick, assign the picked members, and emit DrawMade."""
    candidates, excluded = await _eligible(uow, case, pool, specialty)
    seed = secrets.token_hex(16)
    picked = rules.pick(seed, candidates, count)
    decision = rules.draw_basis(
        profile,
        f"{len(picked)} of {len(candidates)} eligible {pool}s drawn at random ({specialty})",
    )
    draw = Draw(
        case_id=case.id,
        pool=pool,
        kind=kind.value,
        specialty=specialty,
        count=count,
        seed=seed,
        candidates=candidates,
        excluded=excluded,
        picked=picked,
        replaces_assignment_id=replaces.id if replaces else None,
        decisions=[decision.to_dict()],
        drawn_by=who.subject,
        drawn_at=utcnow(),
    )
    uow.session.add(draw)
    await uow.session.flush()
    subjects = {
        m.id: m.subject
        for m in await uow.session.scalars(select(PoolMember).where(PoolMember.id.in_(picked)))
    }
    for member_id in picked:
        uow.session.add(
            Assignment(
                case_id=case.id,
                draw_id=draw.id,
                member_id=member_id,
                pool=pool,
                subject=subjects.get(member_id),
                status=AssignmentStatus.ACTIVE.value,
            )
        )
    await uow.session.flush()
    await uow.emit(
        "draw",
        "made",
        events_pb2.DrawMade(
            draw_id=draw.id,
            case_id=case.id,
            project_id=case.project_id,
            org_id=case.org_id,
            pool=pool,
            kind=draw.kind,
            specialty=specialty,
            count=count,
            seed=seed,
            candidates=candidates,
            excluded=[events_pb2.Exclusion(**e) for e in excluded],
            picked=picked,
            replaces_assignment_id=draw.replaces_assignment_id or "",
            decline_reason=(replaces.decline_reason or "") if replaces else "",
            decisions=[to_decision(decision)],
            drawn_by=to_actor(who),
            drawn_at=to_timestamp(draw.drawn_at),
        ),
        subject=draw.id,
        org_id=case.org_id,
        project_id=case.project_id,
    )
    return draw


async def draw_for_case(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, case_id: str, data: DrawCreate
) -> Draw:
    """Draw experts (or an agency) for an open technical review; too few candidates is a 409."""
    who.require(Role.BUREAU_REVIEWER)
    case = await cases.get(session=uow.session, case_id=case_id, who=who)
    # Concurrent draws queue on the case, so the second finds the first below (D6).
    await cases.lock(session=uow.session, case=case)
    if case.status != CaseStatus.OPEN:
        raise Conflict(
            f"case is {case.status}; experts are drawn for an open case", state=case.status
        )
    if case.track != Track.TECHNICAL_REVIEW:
        raise Conflict(
            profile.cite("a filing-only case has no technical review to draw experts for", "D2")
        )
    # One initial draw per pool and specialty: drawing again until the "right" experts come up
    # would defeat the random draw; a decline is replaced by a recorded redraw instead.
    earlier = await uow.session.scalar(
        select(Draw.id).where(
            Draw.case_id == case.id,
            Draw.pool == data.pool.value,
            Draw.specialty == data.specialty,
            Draw.kind == DrawKind.INITIAL,
        )
    )
    if earlier is not None:
        raise Conflict(
            f"{data.pool.value}s of {data.specialty!r} are already drawn for this case "
            "(a decline is replaced by a redraw)",
            draw_id=earlier,
        )
    candidates, excluded = await _eligible(uow, case, data.pool.value, data.specialty)
    if len(candidates) < data.count:
        raise Conflict(
            f"only {len(candidates)} eligible {data.pool.value}s with specialty "
            f"{data.specialty!r}; {data.count} asked",
            eligible=len(candidates),
            excluded=excluded,
        )
    return await _record_draw(
        uow=uow,
        who=who,
        profile=profile,
        case=case,
        pool=data.pool.value,
        specialty=data.specialty,
        count=data.count,
        kind=DrawKind.INITIAL,
    )


async def decline(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, assignment_id: str, reason: str
) -> Assignment:
    """A drawn member declines (the expert, or the bureau on their word); a replacement is drawn
    from the same pool and specialty, and the redraw is recorded like any draw. Returns the
    declined assignment (the redraw names it)."""
    assignment = await service.get_assignment(session=uow.session, assignment_id=assignment_id)
    is_self = who.has(Role.EXPERT) and assignment.subject == who.subject
    if not (is_self or who.has(Role.BUREAU_REVIEWER)):
        if who.has(Role.EXPERT):
            raise Forbidden("an expert may decline only their own assignment")
        who.require(Role.BUREAU_REVIEWER, Role.EXPERT)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise Conflict(f"assignment is {assignment.status}", state=assignment.status)
    case = await uow.session.get(ReviewCase, assignment.case_id, with_for_update=True)
    if case.status != CaseStatus.OPEN:
        raise Conflict(f"case is {case.status}; nothing to redraw for", state=case.status)
    original = await service.get_draw(session=uow.session, draw_id=assignment.draw_id)
    assignment.status = AssignmentStatus.DECLINED.value
    assignment.decline_reason, assignment.declined_at = reason, utcnow()
    await uow.session.flush()
    await _record_draw(
        uow=uow,
        who=who,
        profile=profile,
        case=case,
        pool=assignment.pool,
        specialty=original.specialty,
        count=1,
        kind=DrawKind.REDRAW,
        replaces=assignment,
    )
    return assignment


def verify(draw: Draw) -> dict:
    """Re-run a draw from its record (seed and candidate list) and compare with what it picked."""
    recomputed = rules.pick(draw.seed, draw.candidates, draw.count)
    return {
        "draw_id": draw.id,
        "seed": draw.seed,
        "candidates": draw.candidates,
        "recorded": draw.picked,
        "recomputed": recomputed,
        "matches": recomputed == draw.picked,
    }
