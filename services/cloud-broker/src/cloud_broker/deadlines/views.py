"""REST: what is overdue, and for whom."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from cloud_broker.deadlines import service
from govit_kit.db import utcnow
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(prefix="/v1/deadlines", tags=["deadlines"])


class DeadlineRead(BaseModel):
    """A due date, whose duty it is and the rule that set it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    subject_kind: str
    subject_id: str
    kind: str
    org_id: str
    party: str
    rule_id: str
    article: str
    reason: str
    due_at: datetime
    met_at: datetime | None
    passed_at: datetime | None
    # Paused (L4 read with L12): when, the working days left, and why; null while it runs.
    paused_at: datetime | None
    paused_working_days: int | None
    pause_reason: str | None
    # A due date in working days: counted from when, over how many (pauses aside), and whether
    # on a provisional calendar (null: the State Council's published one, or not in working
    # days); counted again once the year is published (deadline.recounted).
    counted_from: datetime | None
    working_days: int | None
    calendar: str | None


@router.get("/overdue", response_model=Page[DeadlineRead])
async def list_overdue(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Unmet steps past their due date, oldest first: the bureau sees all, a unit its own,
    a provider those that are its duty. A paused deadline is not overdue (see /paused)."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.overdue(who, utcnow()), paging)
    return Page[DeadlineRead](items=[DeadlineRead.model_validate(r) for r in rows], next_cursor=nxt)


@router.get("/paused", response_model=Page[DeadlineRead])
async def list_paused(who: CurrentPrincipal, rt: CurrentRuntime, paging: Paging):
    """Unmet steps whose clock stands still, longest paused first, with the working days left
    and the reason (a unit's deployment while the bureau decides its migration plan: L4, L12);
    seen as the overdue list."""
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, service.paused(who), paging)
    return Page[DeadlineRead](items=[DeadlineRead.model_validate(r) for r in rows], next_cursor=nxt)
