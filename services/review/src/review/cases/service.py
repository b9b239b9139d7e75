"""Reading review case rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import Principal
from govit_kit.errors import NotFound
from review.cases.models import ReviewCase


async def get(*, session: AsyncSession, case_id: str, who: Principal) -> ReviewCase:
    """A case the caller may see; 404 for another unit's case."""
    case = await session.get(ReviewCase, case_id)
    if case is None:
        raise NotFound("review case not found")
    who.check_owner(case.org_id, "review case")
    return case


def visible(who: Principal, project_id: str | None = None):
    """The select of cases the caller may list, optionally of one project."""
    query = select(ReviewCase).order_by(ReviewCase.opened_at, ReviewCase.id)
    if project_id:
        query = query.where(ReviewCase.project_id == project_id)
    return query.where(ReviewCase.org_id == who.org_id) if who.is_unit else query
