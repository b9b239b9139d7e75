"""Reading organisation rows (never commits)."""

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.errors import NotFound
from intake.orgs.models import Organisation, SecurityRectification, StandingGround

# Who reads every unit's record: the project chain's bureaus.
ORG_READERS = PROJECT_READERS


def _county_only(who: Principal) -> bool:
    # A county data authority reads its own record and those of the units under it (C6).
    return who.has(Role.COUNTY_REVIEWER) and not who.has(*ORG_READERS, *UNIT_ROLES)


async def get(*, session: AsyncSession, org_id: str, who: Principal) -> Organisation:
    """A unit's record the caller may see (a unit only its own)."""
    if not _county_only(who):
        who.check_owner(org_id, ORG_READERS, "organisation")
    org = await session.get(Organisation, org_id)
    if org is None or (_county_only(who) and who.org_id not in (org.id, org.parent_org_id)):
        raise NotFound("organisation not found")
    return org


def visible(who: Principal, *, level: str | None = None, parent_org_id: str | None = None):
    """The select of organisations the caller may list."""
    query = select(Organisation).order_by(Organisation.id)
    if _county_only(who):
        query = query.where(
            or_(Organisation.id == who.org_id, Organisation.parent_org_id == who.org_id)
        )
    elif (scope := who.org_scope(ORG_READERS)) is not None:
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


async def grounds(*, session: AsyncSession, org_id: str, who: Principal) -> list[StandingGround]:
    """The unit's I3 grounds, standing or cleared (a unit sees only its own)."""
    who.check_owner(org_id, ORG_READERS, "organisation")
    rows = await session.execute(
        select(StandingGround)
        .where(StandingGround.org_id == org_id)
        .order_by(StandingGround.fact_at, StandingGround.ground, StandingGround.subject_id)
    )
    return list(rows.scalars())


async def standing_grounds(*, session: AsyncSession, org_id: str) -> list[StandingGround]:
    """The unit's I3 grounds that stand (finance's latest fact on each), oldest first."""
    rows = await session.execute(
        select(StandingGround)
        .where(StandingGround.org_id == org_id, StandingGround.stands.is_(True))
        .order_by(StandingGround.fact_at, StandingGround.ground, StandingGround.subject_id)
    )
    return list(rows.scalars())
