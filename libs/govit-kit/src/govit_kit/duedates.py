"""Stored due dates counted on a provisional year, counted again once the year is published.

A due date in working days reaching into a year nobody has published yet is counted on the
statute's computation (policy.calendar): the State Council's bridging days and make-up workdays
are unknown. Each service stores with such a due date how to count it again (its start, its
working days, its pauses) and the provisional_mark of the years it counted provisionally. When
the year becomes known (chinese-calendar upgraded, or the notice entered in the profile's
calendar_overrides), every open due date whose mark names it is counted again: at start-up and
at the start of each sweep, before anything is marked passed or escalated.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.policy import SHANGHAI, CalendarYearUnknown, WorkingCalendar

log = logging.getLogger(__name__)

# What a service's recount of one row returns (or an awaitable of it): its due date before and
# after (None when the count gave the same date; the row's mark is updated either way).
Moved = tuple[datetime, datetime] | None
Recount = Callable[[Any], Moved | Awaitable[Moved]]


async def stale_marks(session: AsyncSession, mark, *where, calendar: WorkingCalendar) -> list[str]:
    """The provisional marks of the open rows (`where`) that name a year since published."""
    marks = await session.scalars(select(mark).where(mark.is_not(None), *where).distinct())
    return [m for m in marks if calendar.published_since(m)]


async def recount_stale(
    session: AsyncSession,
    model,
    *,
    mark,
    where: tuple = (),
    calendar: WorkingCalendar,
    recount: Recount,
    what: str,
) -> list[tuple[Any, datetime, datetime]]:
    """Count again every open row of `model` (`where`) whose `mark` column names a year now
    published; `recount(row)` counts one row again in place (its due date and mark). Rows are
    locked (skipped when another replica holds them); `recount` may be a coroutine function. Each changed due date is logged; returns
    (row, old due, new due) for each, for the service to tell its consumers."""
    stale = await stale_marks(session, mark, *where, calendar=calendar)
    if not stale:
        return []
    q = select(model).where(mark.in_(stale), *where)
    if session.bind.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    changed = []
    for row in list(await session.scalars(q)):
        try:
            moved = recount(row)
            if inspect.isawaitable(moved):
                moved = await moved
        except CalendarYearUnknown as exc:
            # Kept as it was (and retried each round): one row must not stop the sweep.
            log.error("%s %s cannot be recounted: %s", what, row.id, exc)
            continue
        if moved is None:
            continue
        old, new = moved
        log.warning(
            "%s %s recounted: due %s, not %s (counted on a provisional calendar; the year's "
            "holidays are now published or declared)",
            what,
            row.id,
            new.astimezone(SHANGHAI).date(),
            old.astimezone(SHANGHAI).date(),
        )
        changed.append((row, old, new))
    await session.flush()
    return changed
