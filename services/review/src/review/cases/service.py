"""Reading review case rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import NotFound
from review.cases.models import ReviewCase


async def get(*, session: AsyncSession, case_id: str, who: Principal) -> ReviewCase:
    """A case the caller may see; 404 for another unit's case."""
    case = await session.get(ReviewCase, case_id)
    if case is None:
        raise NotFound("review case not found")
    who.check_owner(case.org_id, PROJECT_READERS, "review case")
    return case


def visible(who: Principal, project_id: str | None = None):
    """The select of cases the caller may list, optionally of one project."""
    query = select(ReviewCase).order_by(ReviewCase.opened_at, ReviewCase.id)
    if project_id:
        query = query.where(ReviewCase.project_id == project_id)
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(ReviewCase.org_id == scope)
