"""Evaluating the checks as entries are appended, turning due watches into findings, and reading
and resolving findings. Functions here never commit: the unit of work does."""

from __future__ import annotations

import calendar as _cal
import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from google.protobuf.json_format import MessageToDict
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from audit.compliance.checks import (
    CHECKS,
    Check,
    Flagged,
    Precedence,
    Within,
    by_code,
    cited_rule,
    flagged,
)
from audit.compliance.models import Finding, Watch
from audit.log.models import AuditEntry
from govit_kit.auth import Principal, Role
from govit_kit.db import new_id, utcnow
from govit_kit.duedates import recount_stale
from govit_kit.errors import Conflict, NotFound
from govit_kit.events import message_class
from govit_kit.policy import SHANGHAI, CalendarYearUnknown, PolicyProfile, WorkingCalendar
from govit_kit.policy.calendar import provisional_mark

logger = logging.getLogger(__name__)

FINDING_READERS = frozenset({Role.AUDITOR, Role.PLATFORM_OPERATOR})
FINDING_RESOLVERS = frozenset({Role.AUDITOR})


def payload_of(row: AuditEntry) -> dict[str, Any]:
    """An entry's payload as a dict (field names as in the .proto; enums by name)."""
    try:
        msg = message_class(row.payload_type)()
        msg.ParseFromString(row.payload)
    except Exception:  # a type this build does not know carries no fields we can test
        return {}
    return MessageToDict(msg, preserving_proto_field_name=True)


def key_of(row: AuditEntry, key: str) -> str | None:
    """What a check correlates on: the entry's project, subject, or a payload field."""
    if key == "project":
        return row.project_id or None
    if key == "subject":
        return row.subject or None
    value = payload_of(row).get(key.removeprefix("data."))
    return str(value) if value else None


def _column(key: str):
    return {"project": AuditEntry.project_id, "subject": AuditEntry.subject}[key]


def _matches(check: Precedence, row: AuditEntry) -> bool:
    payload = payload_of(row) if check.where else {}
    return all(payload.get(f) in allowed for f, allowed in check.where.items())


async def on_append(
    session: AsyncSession,
    row: AuditEntry,
    *,
    profile: PolicyProfile,
    calendar: WorkingCalendar,
    grace: timedelta,
) -> None:
    """Clear the watches this entry was awaited by, and open those it starts."""
    for check in CHECKS:
        if isinstance(check, Precedence) and row.event_type in check.required:
            key = key_of(row, check.required_key)
            if key and _matches(check, row):
                await session.execute(
                    delete(Watch).where(
                        Watch.check_code == check.code,
                        Watch.key == key,
                        Watch.trigger_time >= row.event_time,
                    )
                )
        if isinstance(check, Within) and row.event_type in check.watched:
            await _rewatch(session, check, row, profile=profile, calendar=calendar)

    for check in CHECKS:
        if isinstance(check, Within) or row.event_type not in check.triggers:
            continue
        rule = cited_rule(profile, check)
        key = key_of(row, check.key)
        if rule is None or key is None:
            continue
        if isinstance(check, Precedence):
            if await _satisfied(session, check, key, row.event_time):
                continue
            due = utcnow() + grace  # the required event may still be on its way
        else:
            if not flagged(check, payload_of(row)):
                continue
            due = row.event_time  # a breach as it stands: raised on the next round
        session.add(
            Watch(
                check_code=check.code,
                key=key,
                trigger_event_id=row.event_id,
                trigger_leaf=row.leaf_index,
                trigger_time=row.event_time,
                project_id=row.project_id,
                org_id=row.org_id,
                due_at=due,
            )
        )
    await session.flush()


async def _rewatch(
    session: AsyncSession,
    check: Within,
    row: AuditEntry,
    *,
    profile: PolicyProfile,
    calendar: WorkingCalendar,
) -> None:
    """Set the check's one watch on the row's subject from the log as it stands, so the order
    in which entries arrive does not matter (an end logged before its start, a decision before
    the pause it ends): the latest start is watched unless an end happened at or after it and by
    its deadline, with the clock stopped from each pause to the resume that follows it. An end
    after the deadline leaves the watch, due already, to be raised on the next round. A pause
    once the deadline has passed excuses nothing. A start already raised as a finding is not
    watched again."""
    key = key_of(row, check.key)
    if key is None:
        return
    await session.execute(delete(Watch).where(Watch.check_code == check.code, Watch.key == key))
    rule = cited_rule(profile, check)
    if rule is None:
        return
    entries = {
        e.leaf_index: e
        for e in await session.scalars(
            select(AuditEntry).where(
                _column(check.key) == key, AuditEntry.event_type.in_(check.watched)
            )
        )
    }
    entries[row.leaf_index] = row
    log = sorted(entries.values(), key=lambda e: (e.event_time, e.leaf_index))
    starts = [e for e in log if e.event_type in check.start]
    if not starts:
        return
    start = starts[-1]
    # The first end at or after the start decides: in time if it came by the deadline, late
    # otherwise (a breach even when it reached the log before the deadline was checked).
    end = next(
        (e for e in log if e.event_type in check.end and e.event_time >= start.event_time), None
    )
    if await session.scalar(
        select(Finding.id).where(
            Finding.check_code == check.code, Finding.trigger_event_id == start.event_id
        )
    ):
        return
    figure = profile.figure(rule, check.figure)
    stops = [e for e in log if e.event_type in check.pause | check.resume]
    before = [e for e in stops if e.event_time <= start.event_time]
    paused = bool(before) and before[-1].event_type in check.pause
    left = int(figure)  # working days left when the clock stopped
    years: set[int] = set()  # counted on the provisional calendar, by any count below
    due = None
    if not paused:
        due = within_due(calendar, check, start.event_time, figure)[0]
        years.update(_provisional(calendar, check, start.event_time, due))
    for e in stops:
        if e.event_time <= start.event_time:
            continue
        if end is not None and e.event_time > end.event_time:
            break  # after the end: the clock had already stopped for good
        if e.event_type in check.pause and not paused:
            if e.event_time >= due:
                break
            left = max(
                _MondayToFriday(calendar.overrides).working_days_between(e.event_time, due), 0
            )
            paused = True
        elif e.event_type in check.resume and paused:
            due, paused = due_date(calendar, e.event_time, left)[0], False
            years.update(_provisional(calendar, check, e.event_time, due))
    if paused:
        return  # the clock stands still: the resume sets the watch again (or ended meanwhile)
    if end is not None and end.event_time <= due:
        return  # ended in time
    session.add(
        Watch(
            check_code=check.code,
            key=key,
            trigger_event_id=start.event_id,
            trigger_leaf=start.leaf_index,
            trigger_time=start.event_time,
            project_id=start.project_id,
            org_id=start.org_id,
            due_at=due,
            provisional_years=provisional_mark(years),
        )
    )


def _provisional(calendar: WorkingCalendar, check: Within, start: datetime, due: datetime):
    """The years a within check's deadline in working days counted provisionally."""
    if check.figure.endswith("_months"):
        return []
    return calendar.provisional_years(start, due)


async def recount(
    session: AsyncSession, *, profile: PolicyProfile, calendar: WorkingCalendar
) -> int:
    """Count again, from the log, the watches counted on a year since published or declared
    (govit_kit.duedates), each change logged; returns how many moved. The watch is set again as
    its latest entry sets it (_rewatch), its pauses counted on the calendar as it is now."""

    async def again(watch: Watch):
        check = by_code(watch.check_code)
        trigger = await session.scalar(
            select(AuditEntry).where(AuditEntry.leaf_index == watch.trigger_leaf)
        )
        old, key = watch.due_at, watch.key
        if not isinstance(check, Within) or trigger is None:
            watch.provisional_years = None
            return None
        await _rewatch(session, check, trigger, profile=profile, calendar=calendar)
        await session.flush()
        new = await session.scalar(
            select(Watch.due_at).where(Watch.check_code == check.code, Watch.key == key)
        )
        return None if new is None or new == old else (old, new)

    moved = await recount_stale(
        session,
        Watch,
        mark=Watch.provisional_years,
        calendar=calendar,
        recount=again,
        what="compliance watch",
    )
    return len(moved)


# The within checks counted in months, whose last day moves off a rest day to the next working
# day (民法典 art 203, months_after): L7's transition (exit-transition-overdue).
MONTH_CHECKS = tuple(
    c.code for c in CHECKS if isinstance(c, Within) and c.figure.endswith("_months")
)


async def realign(
    session: AsyncSession, *, profile: PolicyProfile, calendar: WorkingCalendar
) -> int:
    """Count again, from the log, the watches of MONTH_CHECKS stored before the rest-day rule
    (commit cc9eaa2; migration 0007 marked only the working-day checks for the recount): one
    due on a rest day on the profile's calendar is set again as its latest entry sets it
    (_rewatch), due at the close of the next working day, or cleared if its end came by then.
    A watch set under the rule never ends on a rest day, so each moves once, and every round
    may run this before raising anything. Logged; no event (a watch is audit's own). Returns
    how many moved."""
    q = select(Watch).where(Watch.check_code.in_(MONTH_CHECKS))
    if session.bind.dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    moved = 0
    for watch in list(await session.scalars(q)):
        last, note = calendar.last_day(watch.due_at)
        if note is None or last == watch.due_at.astimezone(SHANGHAI).date():
            continue  # a working day (or a year no calendar covers): it stays
        trigger = await session.scalar(
            select(AuditEntry).where(AuditEntry.leaf_index == watch.trigger_leaf)
        )
        if trigger is None:
            continue
        old, code, key = watch.due_at, watch.check_code, watch.key
        await _rewatch(session, by_code(code), trigger, profile=profile, calendar=calendar)
        await session.flush()
        new = await session.scalar(
            select(Watch.due_at).where(Watch.check_code == code, Watch.key == key)
        )
        logger.warning(
            "compliance watch %s %s: %s, not %s (%s)",
            code,
            key,
            "cleared" if new is None else f"due {new.astimezone(SHANGHAI).date()}",
            old.astimezone(SHANGHAI).date(),
            note,
        )
        moved += 1
    return moved


def within_due(
    calendar: WorkingCalendar, check: Within, start: datetime, figure
) -> tuple[datetime, str | None]:
    """A within check's deadline from `start`: months (`..._months`, at the close of the same
    day that many months later in China, the month's last day when it is shorter, moved off a
    rest day to the next working day by 民法典 art 203, as the broker counts it) or working
    days; and what its finding says of the calendar."""
    if check.figure.endswith("_months"):
        return months_after(calendar, start, int(figure))
    return due_date(calendar, start, int(figure))


def months_after(
    calendar: WorkingCalendar, start: datetime, months: int
) -> tuple[datetime, str | None]:
    """The close (23:59:59.999999 in China) of the day `months` after start's day in China, or
    of the next working day when that one is a rest day (民法典 art 203), and what the finding
    says of the move (None when the day stays)."""
    day = start.astimezone(SHANGHAI).date()
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    end, note = calendar.last_day(date(year, month, min(day.day, _cal.monthrange(year, month)[1])))
    return datetime.combine(end, time.max, tzinfo=SHANGHAI), note


def due_date(calendar: WorkingCalendar, start: datetime, days: int) -> tuple[datetime, str | None]:
    """The deadline `days` working days after start, and what its finding says of the calendar
    (None when the State Council's published calendar counted it all). The log never refuses an
    event, so a year no calendar covers (outside what the kit computes: an event time before 2004
    or after 2100) is counted Monday to Friday rather than dead-lettering the event."""
    try:
        due = calendar.add_working_days(start, days)
    except CalendarYearUnknown as exc:
        due = _MondayToFriday(calendar.overrides).add_working_days(start, days)
        return due, (
            f"no holiday calendar for {exc.year}: counted Monday to Friday "
            "(add the year to the profile's calendar_overrides)"
        )
    return due, calendar.provisional_note(start, due)


class _MondayToFriday(WorkingCalendar):
    """The calendar where it is known, Monday to Friday where no calendar covers the year."""

    def is_workday(self, d) -> bool:
        try:
            return super().is_workday(d)
        except CalendarYearUnknown:
            day = d.astimezone(SHANGHAI).date() if isinstance(d, datetime) else d
            return day.weekday() < 5


async def _satisfied(session: AsyncSession, check: Precedence, key: str, at: datetime) -> bool:
    rows = await session.scalars(
        select(AuditEntry).where(
            AuditEntry.event_type.in_(check.required),
            _column(check.required_key) == key,
            AuditEntry.event_time <= at,
        )
    )
    return any(_matches(check, r) for r in rows)


async def due_watches(session: AsyncSession, now: datetime, limit: int = 100) -> list[Watch]:
    """Watches past their time, locked so that two audit replicas raise each finding once."""
    query = select(Watch).where(Watch.due_at <= now).order_by(Watch.due_at).limit(limit)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query))


async def finding_from(
    session: AsyncSession, watch: Watch, *, profile: PolicyProfile, calendar: WorkingCalendar
) -> Finding | None:
    """The finding a due watch becomes (None if its check no longer applies); the watch goes."""
    check = by_code(watch.check_code)
    await session.delete(watch)
    rule = cited_rule(profile, check)
    if rule is None:
        return None
    evidence = [watch.trigger_leaf]
    figures: dict[str, Any] = {}
    if isinstance(check, Precedence):
        # The entries that came closest (say, a rejected review) show why it was not enough.
        related = await session.scalars(
            select(AuditEntry.leaf_index)
            .where(
                AuditEntry.event_type.in_(check.required),
                _column(check.required_key) == watch.key,
            )
            .order_by(AuditEntry.leaf_index)
        )
        evidence += list(related)
        figures["required"] = sorted(check.required)
    elif isinstance(check, Flagged):
        trigger = await session.scalar(
            select(AuditEntry).where(AuditEntry.leaf_index == watch.trigger_leaf)
        )
        flags = flagged(check, payload_of(trigger)) if trigger is not None else []
        figures = {
            "flagged": [{"rule_id": d["rule_id"], "reason": d.get("reason", "")} for d in flags]
        }
    else:
        n = profile.figure(rule, check.figure)
        figures = {
            check.figure: n,
            "started_at": watch.trigger_time.isoformat(),
            "due_at": watch.due_at.isoformat(),
        }
        if note := within_due(calendar, check, watch.trigger_time, n)[1]:
            figures["calendar"] = note
    finding = Finding(
        id=new_id(),
        check_code=check.code,
        rule_id=rule,
        article=profile.rule(rule).article or "",
        summary=f"{check.summary} ({_about(check)} {watch.key})",
        figures=figures,
        project_id=watch.project_id,
        org_id=watch.org_id,
        key=watch.key,
        trigger_event_id=watch.trigger_event_id,
        evidence=sorted(set(evidence)),
        status="open",
        raised_at=utcnow(),
    )
    session.add(finding)
    await session.flush()
    return finding


def _about(check: Check) -> str:
    return check.key.removeprefix("data.").replace("_", " ")


def visible(
    who: Principal,
    *,
    status: str | None = None,
    rule_id: str | None = None,
    project_id: str | None = None,
    org_id: str | None = None,
):
    """Findings the caller may read (auditors all, a unit those about its organisation)."""
    query = select(Finding).order_by(Finding.raised_at, Finding.id)
    scope = who.org_scope(FINDING_READERS)
    if scope is not None:
        query = query.where(Finding.org_id == scope)
    for column, value in (
        (Finding.status, status),
        (Finding.rule_id, rule_id),
        (Finding.project_id, project_id),
        (Finding.org_id, org_id),
    ):
        if value:
            query = query.where(column == value)
    return query


async def get(session: AsyncSession, who: Principal, finding_id: str) -> Finding:
    """One finding, if the caller may read it (else 404: its existence is not theirs to know)."""
    finding = await session.scalar(visible(who).where(Finding.id == finding_id))
    if finding is None:
        raise NotFound("finding not found")
    return finding


async def evidence(session: AsyncSession, finding: Finding) -> list[AuditEntry]:
    """The log entries a finding rests on."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.leaf_index.in_(finding.evidence))
        .order_by(AuditEntry.leaf_index)
    )
    return list(rows)


async def resolve(
    session: AsyncSession, who: Principal, finding_id: str, resolution: str
) -> Finding:
    """An auditor closes a finding with the reason (say, the rectification it was shown)."""
    who.require(*FINDING_RESOLVERS)  # a unit may not close a finding about itself
    finding = await get(session, who, finding_id)
    if finding.status != "open":
        raise Conflict(f"finding {finding_id} is already {finding.status}")
    finding.status = "resolved"
    finding.resolved_at = utcnow()
    finding.resolved_by = who.subject
    finding.resolution = resolution
    await session.flush()
    return finding
