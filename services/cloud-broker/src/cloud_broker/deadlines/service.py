"""Setting, meeting and finding due dates (never commits)."""

import logging
import re
from datetime import datetime, time

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.deadlines.models import Deadline
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Forbidden
from govit_kit.policy import SHANGHAI, Decision, WorkingCalendar
from govit_kit.policy.calendar import marked_years, provisional_mark
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)

READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.AUDITOR, Role.FINANCE_OFFICER})


async def set_due(
    *,
    session: AsyncSession,
    decision: Decision | None,
    subject_kind: str,
    subject_id: str,
    kind: str,
    org_id: str,
    party: str,
    calendar: WorkingCalendar | None = None,
) -> Deadline | None:
    """Store the due date a deadline decision set (None: the profile sets no deadline here).
    A due date in working days (its decision names counted_from and working_days) keeps how it
    was counted, and which years it counted provisionally on `calendar`, to be counted again."""
    if decision is None:
        return None
    due = decision.figures["due"]
    start, days = decision.figures.get("counted_from"), decision.figures.get("working_days")
    if not isinstance(due, datetime):  # a date: due at the close of that day in Shanghai
        from datetime import time

        from govit_kit.policy import SHANGHAI

        due = datetime.combine(due, time.max, tzinfo=SHANGHAI)
    row = Deadline(
        subject_kind=subject_kind,
        subject_id=subject_id,
        kind=kind,
        org_id=org_id,
        party=party,
        rule_id=decision.rule_id,
        article=decision.article,
        reason=decision.reason,
        due_at=due,
    )
    if isinstance(start, datetime) and days is not None and calendar is not None:
        row.counted_from, row.working_days = start, int(days)
        row.provisional_years = provisional_mark(calendar.provisional_years(start, due))
    session.add(row)
    return row


async def meet(*, uow: UnitOfWork, subject_kind: str, subject_id: str, kind: str) -> None:
    """Record that the step was done (a passed deadline keeps its passed_at: it was late). A
    step done after its due date that the scheduler has not raised yet (it sweeps every
    interval) is raised now, with its event, so a late step is never recorded as on time."""
    now = utcnow()
    rows = await uow.session.scalars(
        select(Deadline).where(
            Deadline.subject_kind == subject_kind,
            Deadline.subject_id == subject_id,
            Deadline.kind == kind,
            Deadline.met_at.is_(None),
        )
    )
    for d in rows.all():
        if d.passed_at is None and d.paused_at is None and d.due_at < now:
            await raise_passed(uow, d, now)
        d.met_at = now


def event_fields(d: Deadline) -> dict:
    """What every deadline event says of its deadline (`deadline.passed`, `.recounted`): which
    one, whose step, and the rule with its article."""
    return dict(
        deadline_id=d.id,
        subject_kind=d.subject_kind,
        subject_id=d.subject_id,
        kind=d.kind,
        org_id=d.org_id,
        party=d.party,
        rule_id=d.rule_id,
        article=d.article,
        reason=d.reason,
    )


async def raise_passed(uow: UnitOfWork, d: Deadline, now: datetime) -> None:
    """Mark a deadline passed and tell it (`deadline.passed`), in the caller's transaction."""
    d.passed_at = now
    await uow.emit(
        "deadline",
        "passed",
        events_pb2.DeadlinePassed(**event_fields(d), due_at=to_timestamp(d.due_at)),
        subject=d.subject_id,
        org_id=d.org_id,
    )


async def _open(
    *, session: AsyncSession, subject_kind: str, subject_id: str, kind: str, paused: bool
):
    """The unmet deadline of a step, paused or running, locked on PostgreSQL for the change: a
    scheduler round that marked it passed first is seen (its commit re-read), never undone."""
    q = select(Deadline).where(
        Deadline.subject_kind == subject_kind,
        Deadline.subject_id == subject_id,
        Deadline.kind == kind,
        Deadline.met_at.is_(None),
        Deadline.paused_at.is_not(None) if paused else Deadline.paused_at.is_(None),
    )
    if session.bind.dialect.name == "postgresql":
        q = q.with_for_update()
    return await session.scalar(q)


async def pause(
    *,
    session: AsyncSession,
    calendar: WorkingCalendar,
    subject_kind: str,
    subject_id: str,
    kind: str,
    reason: str,
    now: datetime | None = None,
) -> Deadline | None:
    """Stop a running deadline's clock, keeping the working days left from `now` to its due
    date. None when there is nothing to pause: no such deadline, met, already paused (a second
    pause changes nothing), or already past due (passed stays passed: the party was late)."""
    now = now or utcnow()
    row = await _open(
        session=session, subject_kind=subject_kind, subject_id=subject_id, kind=kind, paused=False
    )
    if row is None or row.passed_at is not None or row.due_at < now:
        return None
    left = max(calendar.working_days_between(now, row.due_at), 0)
    row.paused_at, row.paused_working_days = now, left
    suffix = f"; {left} working days left"
    row.pause_reason = reason[: 300 - len(suffix)] + suffix
    return row


async def resume(
    *,
    session: AsyncSession,
    calendar: WorkingCalendar,
    subject_kind: str,
    subject_id: str,
    kind: str,
    now: datetime | None = None,
) -> tuple[Deadline, int, int] | None:
    """Restart a paused deadline: due the working days that were left after `now`. Returns the
    row, the working days left and the working days it stood paused (None: nothing paused)."""
    now = now or utcnow()
    row = await _open(
        session=session, subject_kind=subject_kind, subject_id=subject_id, kind=kind, paused=True
    )
    if row is None:
        return None
    left = row.paused_working_days or 0
    waited = max(calendar.working_days_between(row.paused_at, now), 0)
    row.due_at = calendar.add_working_days(now, left)
    if row.counted_from is not None and row.working_days is not None:
        # The pause is kept, so a recount (recount below) stops the clock over it again; the
        # days left were counted on the years of the due date it had, and the new one on these.
        row.pauses = [*(row.pauses or []), [row.paused_at.isoformat(), now.isoformat()]]
        row.provisional_years = provisional_mark(
            [*marked_years(row.provisional_years), *calendar.provisional_years(now, row.due_at)]
        )
    row.paused_at = row.paused_working_days = row.pause_reason = None
    return row, left, waited


def _pauses(row: Deadline) -> list[tuple[datetime, datetime | None]]:
    """The row's finished pauses, and its open one last."""
    done = [(datetime.fromisoformat(p), datetime.fromisoformat(r)) for p, r in row.pauses or []]
    return done + ([(row.paused_at, None)] if row.paused_at is not None else [])


# Open deadlines counted on a provisional year, which a recount may move (not one marked
# passed: its event was raised, and passed stays passed).
OPEN = (Deadline.met_at.is_(None), Deadline.passed_at.is_(None))


def recount(calendar: WorkingCalendar, row: Deadline) -> tuple[datetime, datetime] | None:
    """Count a due date again on `calendar` from how it was counted (govit_kit.duedates): its
    start, working days and pauses. A paused one keeps the working days that are truly left at
    its pause; one whose pause came after its true due date was not excused by it (as pause
    refuses then): it runs again, for the scheduler to raise. Returns the old and new due date
    when it moved (None: the same date; the provisional mark is updated either way)."""
    if row.counted_from is None or row.working_days is None:
        row.provisional_years = None  # nothing to count it again from
        return None
    old = row.due_at
    counted = calendar.count(row.counted_from, row.working_days, _pauses(row))
    row.due_at, row.provisional_years = counted.due, counted.provisional
    if row.paused_at is not None:
        if counted.left is None:
            row.paused_at = row.paused_working_days = row.pause_reason = None
        else:
            row.paused_working_days = counted.left
            row.pause_reason = _LEFT.sub(f"; {counted.left} working days left", row.pause_reason)
    return (old, counted.due) if counted.due != old else None


_LEFT = re.compile(r"; \d+ working days left$")


# Due dates counted in calendar days or months, whose last day moves off a rest day to the next
# working day (民法典 art 203, WorkingCalendar.last_day): L13's monthly report (PDS C art14's 5th,
# SN C art19's month end) and L7's transition. A due date in working days always ends on one.
LAST_DAY_KINDS = ("monthly_report", "transition")
# Open and still running: not met, not raised (passed stays passed), not paused.
UNRAISED = (Deadline.met_at.is_(None), Deadline.passed_at.is_(None), Deadline.paused_at.is_(None))


async def redate(
    session: AsyncSession, row: Deadline, due: datetime, reason: str
) -> tuple[datetime, datetime] | None:
    """Give an open, unraised deadline a new due date and reason; the update re-checks that it
    is still open and unraised (PostgreSQL re-reads the row once a sweep that marked it passed
    has committed), so a raised deadline is never moved. Returns (old, new) when it moved."""
    old = row.due_at
    if due == old and reason == row.reason:
        return None
    done = await session.execute(
        update(Deadline)
        .where(Deadline.id == row.id, *UNRAISED)
        .values(due_at=due, reason=reason[:300])
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        return None
    await session.refresh(row)
    return (old, due) if due != old else None


async def realign_last_days(session: AsyncSession, calendar: WorkingCalendar) -> int:
    """Bring onto 民法典 art 203 the open, unraised due dates of LAST_DAY_KINDS stored before the
    rule (commit cc9eaa2): one whose last day falls on a rest day on the profile's calendar
    moves to the next working day, and its reason says so as a new one's does. Idempotent (a
    moved one ends on a working day), so every round may run it: it moves each row once, and
    also one an older replica stores during an upgrade. Logged; no event: no service keeps a
    copy of the broker's due dates (audit counts its own; deadline.recounted is the provisional
    recount's). Returns how many moved."""
    q = select(Deadline).where(Deadline.kind.in_(LAST_DAY_KINDS), *UNRAISED)
    moved = 0
    for row in list(await session.scalars(q)):
        last, note = calendar.last_day(row.due_at)
        if note is None or last == row.due_at.astimezone(SHANGHAI).date():
            continue  # a working day (or a year no calendar covers): it stays
        due = datetime.combine(last, time.max, tzinfo=SHANGHAI)
        changed = await redate(session, row, due, f"{row.reason}; {note}")
        if changed is None:
            continue
        log.warning(
            "deadline %s (%s %s, %s) moved to %s, not %s: %s",
            row.id,
            row.rule_id,
            row.kind,
            row.subject_id,
            last,
            changed[0].astimezone(SHANGHAI).date(),
            note,
        )
        moved += 1
    return moved


def _visible(q, who: Principal):
    """The deadlines of a select the caller may see: the bureau all, a unit its own, a provider
    those that are its duty."""
    if who.has(*READERS):
        return q
    if who.has(Role.UNIT_STAFF, Role.UNIT_CDO):
        return q.where(Deadline.org_id == who.org_id)
    if who.has(Role.CLOUD_PROVIDER) and who.provider_id:
        return q.where(Deadline.party == f"provider:{who.provider_id}")
    raise Forbidden("this role may not read deadlines")


def overdue(who: Principal, now: datetime):
    """The select of open deadlines past due that the caller may see; a paused one is not
    overdue (its clock stands still)."""
    q = (
        select(Deadline)
        .where(Deadline.met_at.is_(None), Deadline.paused_at.is_(None), Deadline.due_at < now)
        .order_by(Deadline.due_at, Deadline.id)
    )
    return _visible(q, who)


def paused(who: Principal):
    """The select of open deadlines paused, longest paused first, that the caller may see."""
    q = (
        select(Deadline)
        .where(Deadline.met_at.is_(None), Deadline.paused_at.is_not(None))
        .order_by(Deadline.paused_at, Deadline.id)
    )
    return _visible(q, who)
