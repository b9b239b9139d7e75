"""Reading funding rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.funding.models import FundingLine, LedgerEntry
from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import NotFound


def visible(who: Principal, project_id: str | None = None):
    """The select of funding lines the caller may list: a unit its own; finance and audit all."""
    scope = who.org_scope(PROJECT_READERS)
    query = select(FundingLine).order_by(FundingLine.opened_at, FundingLine.id)
    if project_id:
        query = query.where(FundingLine.project_id == project_id)
    return query if scope is None else query.where(FundingLine.org_id == scope)


async def get_line(session: AsyncSession, who: Principal, line_id: str) -> FundingLine:
    """One line the caller may see (404 for another unit's)."""
    line = await session.get(FundingLine, line_id)
    if line is None:
        raise NotFound("funding line not found")
    who.check_owner(line.org_id, PROJECT_READERS, "funding line")
    return line


def entries(line_id: str):
    """The select of a line's entries, oldest first."""
    return (
        select(LedgerEntry)
        .where(LedgerEntry.funding_line_id == line_id)
        .order_by(LedgerEntry.booked_at, LedgerEntry.id)
    )
