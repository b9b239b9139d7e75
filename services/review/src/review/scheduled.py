"""Review's background work: the daily (by default hourly) deadline sweep."""

import asyncio
import logging

from govit_kit.auth import Principal, Role
from review.acceptance import flows as acceptance
from review.progress import flows as progress
from review.rectification import flows as rectification

log = logging.getLogger(__name__)

# The service itself, acting as the platform: its events carry actor "service:review".
SWEEPER = Principal("service:review", "platform", frozenset({Role.PLATFORM_OPERATOR}))


async def sweep(rt) -> tuple[int, int, int]:
    """Escalate overdue rectification orders (J1), flag overdue evaluations (H1) and missing
    yearly reports of projects under construction (F6), each in its own transaction; returns
    how many of each."""
    async with rt.db.unit_of_work() as uow:
        # Orders it cannot escalate (no calendar) are logged as errors and retried next round.
        escalated, _ = await rectification.escalate_overdue(
            uow=uow, who=SWEEPER, profile=rt.profile, calendar=rt.calendar
        )
    async with rt.db.unit_of_work() as uow:
        flagged = await acceptance.flag_overdue(uow=uow, who=SWEEPER, profile=rt.profile)
    async with rt.db.unit_of_work() as uow:
        reports = await progress.flag_overdue(uow=uow, who=SWEEPER, profile=rt.profile)
    return len(escalated), len(flagged), len(reports)


async def sweep_deadlines(rt, stop: asyncio.Event) -> None:
    """Run the sweep every GOVIT_REVIEW_SWEEP_INTERVAL_S until the service stops."""
    interval = rt.settings.review_sweep_interval_s
    if interval <= 0:
        return
    while not stop.is_set():
        try:
            await sweep(rt)
        except Exception:  # a database hiccup or a concurrent replica's sweep: next round
            log.exception("review deadline sweep failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
