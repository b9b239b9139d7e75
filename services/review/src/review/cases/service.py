"""Reading review case rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.errors import Conflict, Forbidden, NotFound
from review.cases.enums import HALTED, PreCheckStatus
from review.cases.models import (
    ApprovalStep,
    ConclusionRecord,
    Opinion,
    PreCheck,
    Resubmission,
    ReviewCase,
)
from review.pools import service as pools


def _expert_only(who: Principal) -> bool:
    """An expert without a bureau reading role: sees only the cases drawn for them."""
    return who.has(Role.EXPERT) and not who.has(*PROJECT_READERS)


async def get(*, session: AsyncSession, case_id: str, who: Principal) -> ReviewCase:
    """A case the caller may see; 404 for another unit's case, or a case an expert was not drawn
    for (its existence must not leak)."""
    case = await session.get(ReviewCase, case_id)
    if case is None:
        raise NotFound("review case not found")
    if _expert_only(who):
        if not await pools.is_drawn_for(session=session, case_id=case_id, subject=who.subject):
            raise NotFound("review case not found")
        return case
    who.check_owner(case.org_id, PROJECT_READERS, "review case")
    return case


async def lock(*, session: AsyncSession, case: ReviewCase) -> ReviewCase:
    """Lock the case's row (SELECT ... FOR UPDATE) and reload it: the steps that must see each
    other (an initial draw and its repeat, a raised ground and the conclusion) queue here."""
    await session.refresh(case, with_for_update=True)
    return case


def ensure_going(case: ReviewCase, what: str) -> None:
    """A suspended (F4) or terminated (F5) case takes no further step: 409 naming its state."""
    if case.status in HALTED:
        raise Conflict(
            f"case is {case.status}; a {case.status} case takes no {what}", state=case.status
        )


def visible(who: Principal, project_id: str | None = None):
    """The select of cases the caller may list, optionally of one project."""
    query = select(ReviewCase).order_by(ReviewCase.opened_at, ReviewCase.id)
    if project_id:
        query = query.where(ReviewCase.project_id == project_id)
    if _expert_only(who):
        return query.where(ReviewCase.id.in_(pools.drawn_case_ids(who.subject)))
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(ReviewCase.org_id == scope)


async def pre_checks_of(*, session: AsyncSession, case_id: str) -> list[PreCheck]:
    """Every pre-check of a case, cleared and overruled ones included."""
    rows = await session.scalars(
        select(PreCheck)
        .where(PreCheck.case_id == case_id)
        .order_by(PreCheck.raised_at, PreCheck.id)
    )
    return list(rows)


async def raised_pre_checks(*, session: AsyncSession, case_id: str) -> list[PreCheck]:
    """The pre-checks that still block an approving conclusion."""
    return [
        p
        for p in await pre_checks_of(session=session, case_id=case_id)
        if p.status == PreCheckStatus.RAISED
    ]


async def opinions_of(
    *,
    session: AsyncSession,
    case: ReviewCase,
    who: Principal,
    round: int | None,
    units_see_none: bool = False,
) -> list[Opinion]:
    """Opinion versions of a case the caller may read: the bureau roles all of them, an expert
    only their own (opinions are independent); a unit none (403, or [] in its case history)."""
    query = select(Opinion).where(Opinion.case_id == case.id)
    if round is not None:
        query = query.where(Opinion.round == round)
    if _expert_only(who):
        query = query.where(Opinion.author == who.subject)
    elif not who.has(*PROJECT_READERS):
        if units_see_none:
            return []
        raise Forbidden("the applicant reads the conclusion and its required revisions")
    rows = await session.scalars(
        query.order_by(Opinion.round, Opinion.created_at, Opinion.author, Opinion.version)
    )
    return list(rows)


async def conclusions_of(*, session: AsyncSession, case_id: str) -> list[ConclusionRecord]:
    """Every conclusion of a case, oldest first."""
    rows = await session.scalars(
        select(ConclusionRecord)
        .where(ConclusionRecord.case_id == case_id)
        .order_by(ConclusionRecord.round, ConclusionRecord.concluded_at)
    )
    return list(rows)


async def resubmissions_of(*, session: AsyncSession, case_id: str) -> list[Resubmission]:
    """Every resubmission of a case, oldest first."""
    rows = await session.scalars(
        select(Resubmission).where(Resubmission.case_id == case_id).order_by(Resubmission.round)
    )
    return list(rows)


async def approval_steps_of(*, session: AsyncSession, case_id: str) -> list[ApprovalStep]:
    """The D7 chain steps recorded for a case, in order."""
    rows = await session.scalars(
        select(ApprovalStep)
        .where(ApprovalStep.case_id == case_id)
        .order_by(ApprovalStep.recorded_at)
    )
    return list(rows)
