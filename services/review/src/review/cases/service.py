"""Reading review case rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.errors import NotFound
from review.cases.enums import PreCheckStatus
from review.cases.models import PreCheck, ReviewCase
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
