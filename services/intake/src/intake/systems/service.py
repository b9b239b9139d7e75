"""Reading the register (never commits)."""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal, Role
from govit_kit.errors import NotFound
from intake.systems.models import InformationSystem, SystemActionRecord

# The cloud admins read the register too: they act on its freezes and decommissions.
SYSTEM_READERS = PROJECT_READERS | {Role.BUREAU_CLOUD_ADMIN}


async def get(*, session: AsyncSession, system_id: str, who: Principal) -> InformationSystem:
    """A system the caller may see (a unit its own)."""
    system = await session.get(InformationSystem, system_id)
    if system is None:
        raise NotFound("system not found")
    who.check_owner(system.owner_org_id, SYSTEM_READERS, "system")
    return system


def visible(
    who: Principal,
    *,
    status: str | None = None,
    owner_org_id: str | None = None,
    idle_since: dt.date | None = None,
):
    """The select of systems the caller may list; idle_since finds systems unused since a date
    (K6: idle or rarely used systems are cleaned up)."""
    query = select(InformationSystem).order_by(InformationSystem.created_at, InformationSystem.id)
    scope = who.org_scope(SYSTEM_READERS)
    if scope is not None:
        query = query.where(InformationSystem.owner_org_id == scope)
    if status:
        query = query.where(InformationSystem.status == status)
    if owner_org_id:
        query = query.where(InformationSystem.owner_org_id == owner_org_id)
    if idle_since:
        query = query.where(InformationSystem.last_used_on < idle_since)
    return query


async def actions(*, session: AsyncSession, system_id: str) -> list[SystemActionRecord]:
    """The system's lifecycle actions, oldest first."""
    rows = await session.execute(
        select(SystemActionRecord)
        .where(SystemActionRecord.system_id == system_id)
        .order_by(SystemActionRecord.at, SystemActionRecord.id)
    )
    return list(rows.scalars())
