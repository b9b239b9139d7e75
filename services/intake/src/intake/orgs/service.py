"""Reading organisation rows (never commits)."""

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.errors import NotFound
from govit_kit.policy import PolicyProfile
from intake.orgs.enums import Deferral
from intake.orgs.models import (
    InvestmentDeferral,
    Organisation,
    SecurityRectification,
    StandingGround,
)
from intake.orgs.schemas import GroundRead
from intake.projects.models import Project

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


async def unknown(*, session: AsyncSession, org_ids: list[str]) -> list[str]:
    """The ids among org_ids intake does not know as units, in their order. A unit acts under its
    token's `org` claim without a record, so intake knows a unit that is on the register of units
    or has an application on file; an id someone else names (a system's owner, a new owner, a
    framework plan's participant) must be one of them."""
    wanted = set(org_ids)
    if not wanted:
        return []
    registered = await session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted)))
    known = set(registered)
    if wanted - known:
        filed = await session.scalars(
            select(Project.org_id).where(Project.org_id.in_(wanted - known)).distinct()
        )
        known |= set(filed)
    return [o for o in org_ids if o not in known]


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


async def deferrals(*, session: AsyncSession, org_id: str) -> list[InvestmentDeferral]:
    """The unit's orders escalated to 暂缓安排投资计划 or beyond (J1), in force or lifted, oldest
    first (a resolution's tombstone, never escalated, is not one)."""
    rows = await session.execute(
        select(InvestmentDeferral)
        .where(InvestmentDeferral.org_id == org_id, InvestmentDeferral.deferred_at.is_not(None))
        .order_by(InvestmentDeferral.deferred_at, InvestmentDeferral.order_id)
    )
    return list(rows.scalars())


async def open_deferrals(*, session: AsyncSession, org_id: str) -> list[InvestmentDeferral]:
    """The unit's deferrals in force (J1): escalated to 暂缓安排投资计划 or beyond, not resolved."""
    return [d for d in await deferrals(session=session, org_id=org_id) if d.lifted_at is None]


async def grounds_read(
    *, session: AsyncSession, profile: PolicyProfile, org_id: str, who: Principal
) -> list[GroundRead]:
    """The unit's I3 grounds, then, where the profile has J1, each order that deferred its
    investment plan (`stands` while the order is open; `fact_at` its escalation, or its
    resolution once lifted)."""
    out = [
        GroundRead.model_validate(g) for g in await grounds(session=session, org_id=org_id, who=who)
    ]
    if not profile.applies("J1"):
        return out
    for d in await deferrals(session=session, org_id=org_id):
        out.append(
            GroundRead(
                ground=Deferral.INVESTMENT_DEFERRED,
                rule_id="J1",
                org_id=d.org_id,
                project_id=d.project_id,
                stands=d.lifted_at is None,
                document="",
                fact_at=d.lifted_at or d.deferred_at,
                order_id=d.order_id,
                sanction=d.sanction,
            )
        )
    return out
