"""Reading organisation rows (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.errors import NotFound
from intake.orgs.models import Organisation, SecurityRectification

# Who reads every unit's record: the project chain's bureaus, and county data authorities.
ORG_READERS = PROJECT_READERS | {Role.COUNTY_REVIEWER}


async def get(*, session: AsyncSession, org_id: str, who: Principal) -> Organisation:
    """A unit's record the caller may see (a unit only its own)."""
    who.check_owner(org_id, ORG_READERS, "organisation")
    org = await session.get(Organisation, org_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def visible(who: Principal, *, level: str | None = None, parent_org_id: str | None = None):
    """The select of organisations the caller may list."""
    query = select(Organisation).order_by(Organisation.id)
    scope = who.org_scope(ORG_READERS)
    if scope is not None:
        query = query.where(Organisation.id == scope)
    if level:
        query = query.where(Organisation.level == level)
    if parent_org_id:
        query = query.where(Organisation.parent_org_id == parent_org_id)
    return query


async def open_rectifications(*, session: AsyncSession, org_id: str) -> list[SecurityRectification]:
    """The unit's rectifications not yet closed (J3)."""
    rows = await session.execute(
        select(SecurityRectification)
        .where(SecurityRectification.org_id == org_id, SecurityRectification.closed_at.is_(None))
        .order_by(SecurityRectification.opened_at)
    )
    return list(rows.scalars())
