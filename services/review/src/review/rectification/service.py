"""Reading rectification orders (never commits)."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from review.rectification.enums import OrderStatus
from review.rectification.models import RectificationOrder


async def open_security_orders(*, session: AsyncSession, org_id: str) -> int:
    """How many open security or crypto orders a unit has (J3)."""
    return await session.scalar(
        select(func.count()).where(
            RectificationOrder.org_id == org_id,
            RectificationOrder.status == OrderStatus.OPEN,
            RectificationOrder.security.is_(True),
        )
    )
