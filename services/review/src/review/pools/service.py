"""Reading pool members, draws and assignments (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import Role
from govit_kit.errors import NotFound
from review.pools.enums import AssignmentStatus
from review.pools.models import Assignment, Draw, PoolMember

# Who reads the pools and the draw records: the bureau that draws and the auditors who check.
POOL_READERS = (Role.BUREAU_REVIEWER, Role.AUDITOR)


async def get_member(*, session: AsyncSession, member_id: str) -> PoolMember:
    """A pool member; 404 if unknown."""
    member = await session.get(PoolMember, member_id)
    if member is None:
        raise NotFound("pool member not found")
    return member


async def get_draw(*, session: AsyncSession, draw_id: str) -> Draw:
    """A draw record; 404 if unknown."""
    draw = await session.get(Draw, draw_id)
    if draw is None:
        raise NotFound("draw not found")
    return draw


async def get_assignment(*, session: AsyncSession, assignment_id: str) -> Assignment:
    """An assignment; 404 if unknown."""
    assignment = await session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound("assignment not found")
    return assignment


def members(pool: str | None = None, specialty: str | None = None):
    """The select of pool members, optionally of one pool (the specialty is filtered in Python:
    JSON containment differs between PostgreSQL and SQLite)."""
    query = select(PoolMember).order_by(PoolMember.created_at, PoolMember.id)
    return query if pool is None else query.where(PoolMember.pool == pool)


async def assignments_of(*, session: AsyncSession, case_id: str) -> list[Assignment]:
    """Every assignment of a case, declined ones included."""
    rows = await session.scalars(
        select(Assignment).where(Assignment.case_id == case_id).order_by(Assignment.id)
    )
    return list(rows)


def drawn_case_ids(subject: str):
    """The select of case ids an expert (by token subject) is actively drawn for."""
    return select(Assignment.case_id).where(
        Assignment.subject == subject, Assignment.status == AssignmentStatus.ACTIVE
    )


async def is_drawn_for(*, session: AsyncSession, case_id: str, subject: str) -> bool:
    """Whether the subject is an active drawn member of the case."""
    found = await session.scalar(
        select(Assignment.id).where(
            Assignment.case_id == case_id,
            Assignment.subject == subject,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
    )
    return found is not None
