"""Reading rectification orders (never commits)."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from review.rectification.enums import LADDER, OrderStatus
from review.rectification.models import RectificationOrder


def due_for_a_step(now: datetime) -> tuple:
    """The open orders past their deadline with a step of J1's ladder still to take: read off
    the (status, due_at) index, so open orders not yet due are never read (nor those at the
    ladder's top, nor resolved ones)."""
    return (
        RectificationOrder.status == OrderStatus.OPEN,
        RectificationOrder.due_at < now,
        RectificationOrder.level < len(LADDER),
    )


async def open_security_orders(*, session: AsyncSession, org_id: str) -> int:
    """How many open security or crypto orders a unit has (J3)."""
    return await session.scalar(
        select(func.count()).where(
            RectificationOrder.org_id == org_id,
            RectificationOrder.status == OrderStatus.OPEN,
            RectificationOrder.security.is_(True),
        )
    )
