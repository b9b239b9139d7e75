"""The scheduler: raises one event per passed deadline; its state is the table, so it survives
restarts, and several instances never raise the same one twice."""

import asyncio
import logging
from datetime import datetime

from sqlalchemy import select

from cloud_broker.deadlines import service
from cloud_broker.deadlines.models import Deadline
from govit.cloud_broker.v1 import events_pb2
from govit_kit.convert import to_timestamp
from govit_kit.db import utcnow
from govit_kit.duedates import recount_stale
from govit_kit.policy import WorkingCalendar

log = logging.getLogger(__name__)
BATCH = 200


async def recount(db, calendar: WorkingCalendar) -> int:
    """Count again the open due dates counted on a year since published or declared (see
    govit_kit.duedates), each change logged and told (`deadline.recounted`: audit logs it; no
    service keeps a copy of the date); returns how many moved."""
    async with db.unit_of_work() as uow:
        moved = await recount_stale(
            uow.session,
            Deadline,
            mark=Deadline.provisional_years,
            where=service.OPEN,
            calendar=calendar,
            recount=lambda row: service.recount(calendar, row),
            what="deadline",
        )
        for d, old, new in moved:
            await uow.emit(
                "deadline",
                "recounted",
                events_pb2.DeadlineRecounted(
                    **service.event_fields(d),
                    due_at=to_timestamp(new),
                    previous_due_at=to_timestamp(old),
                    calendar=d.calendar or "",
                ),
                subject=d.subject_id,
                org_id=d.org_id,
            )
    return len(moved)


async def raise_passed(
    db, now: datetime | None = None, *, calendar: WorkingCalendar | None = None
) -> int:
    """Mark every deadline that passed unmet, and is not paused, and emit its event, in one
    transaction per batch; returns how many were raised. Given the calendar, due dates counted
    on a year since published are counted again first (recount), and the last days stored
    before the rest-day rule are moved off a rest day (民法典 art 203, service.realign_last_days),
    so none is raised on a date the calendar does not give it."""
    now = now or utcnow()
    if calendar is not None:
        await recount(db, calendar)
        async with db.unit_of_work() as uow:
            await service.realign_last_days(uow.session, calendar)
    raised = 0
    while True:
        async with db.unit_of_work() as uow:
            q = (
                select(Deadline)
                .where(
                    Deadline.met_at.is_(None),
                    Deadline.passed_at.is_(None),
                    Deadline.paused_at.is_(None),  # paused: its clock stands still (L4, L12)
                    Deadline.due_at < now,
                )
                .order_by(Deadline.due_at)
                .limit(BATCH)
            )
            if db.engine.dialect.name == "postgresql":
                q = q.with_for_update(skip_locked=True)
            rows = (await uow.session.scalars(q)).all()
            for d in rows:
                await service.raise_passed(uow, d, now)
        raised += len(rows)
        if len(rows) < BATCH:
            return raised


async def scheduler(rt, stop: asyncio.Event) -> None:
    """Every interval, from start-up on: store the month's report due dates (L13) and last
    year's drill shortfalls (L15), count again due dates counted on a year since published,
    raise passed deadlines and return work orders whose lease expired."""
    from cloud_broker.provider import flows as provider_flows
    from cloud_broker.provider import obligations

    while not stop.is_set():
        try:
            await obligations.ensure_report_deadlines(rt=rt)
            await obligations.ensure_drill_deadlines(rt=rt)
            # Recounts first: at start-up (the first round) and in every round after.
            await raise_passed(rt.db, calendar=rt.calendar)
            await provider_flows.expire_leases(rt=rt)
        except Exception:  # a database blip: try again next round
            log.exception("scheduler round failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=rt.settings.scheduler_interval_s)
        except TimeoutError:
            pass
