"""Use cases of provider obligations: monthly reports (L13), platform changes (L14) and
emergency drills (L15)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from cloud_broker.catalog.models import ProviderPlatform
from cloud_broker.deadlines import service as deadlines
from cloud_broker.deadlines.models import Deadline
from cloud_broker.provider import rules
from cloud_broker.provider.flows import READERS, platform_of
from cloud_broker.provider.models import EmergencyDrill, PlatformChange, ProviderReport
from cloud_broker.requests.rules import add_months
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_decision, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.policy import SHANGHAI, Outcome, month_in_china
from govit_kit.uow import UnitOfWork

log = logging.getLogger(__name__)


def previous_period(now: datetime) -> str:
    """The month before `now` (Shanghai), as YYYY-MM."""
    local = now.astimezone(SHANGHAI).date().replace(day=1)
    prev = add_months(local, -1)
    return f"{prev.year:04d}-{prev.month:02d}"


async def ensure_report_deadlines(*, rt, now: datetime | None = None) -> int:
    """Store, once, each platform's due date for last month's report (L13), and keep a stored
    one that is open and unraised on rules.report_due (its due date and reason); the scheduler
    calls this every round, so a new month's due dates appear without anyone acting. Only platforms
    on the catalog before that month ended (in China) owe it: one added since owes nothing for
    a month it was not there in."""
    period = previous_period(now or utcnow())
    decision = rules.report_due(rt.profile, period)
    if decision is None:
        return 0
    added = 0
    # A platform owes the report on a month it was on the catalog in: one added after the month
    # ended ran nothing in it to report on (a part of the month is reported on).
    month_end = datetime.combine(
        add_months(date(int(period[:4]), int(period[5:]), 1), 1), time.min, tzinfo=SHANGHAI
    )
    async with rt.db.unit_of_work() as uow:
        platforms = (
            await uow.session.scalars(
                select(ProviderPlatform.id).where(ProviderPlatform.created_at < month_end)
            )
        ).all()
        for platform in platforms:
            subject = f"{platform}:{period}"
            have = await uow.session.scalar(
                select(Deadline).where(
                    Deadline.subject_kind == "provider_report", Deadline.subject_id == subject
                )
            )
            if have is not None:
                # Stored once, but kept on the rule while open and unraised: a row stored before
                # a rule changed (民法典 art 203's rest days, commit cc9eaa2) or on a calendar
                # since changed takes the rule's due date and reason, so that the row the sweep
                # raises and report_filed's judgement of a filing never disagree.
                await _align_report_due(uow.session, have, decision)
                continue
            filed = await uow.session.scalar(
                select(ProviderReport.id).where(
                    ProviderReport.platform_id == platform, ProviderReport.period == period
                )
            )
            if filed is None:
                await deadlines.set_due(
                    session=uow.session,
                    decision=decision,
                    subject_kind="provider_report",
                    subject_id=subject,
                    kind="monthly_report",
                    org_id="",
                    party=f"provider:{platform}",
                )
                added += 1
    return added


async def _align_report_due(session, row: Deadline, decision) -> None:
    """An open, unraised L13 row brought onto rules.report_due (its due date and reason)."""
    if row.met_at is not None or row.passed_at is not None or row.paused_at is not None:
        return  # met, or raised: passed stays passed
    moved = await deadlines.redate(session, row, decision.figures["due"], decision.reason)
    if moved is not None:
        old, new = moved
        log.warning(
            "deadline %s (L13 monthly report %s) now due %s, not %s, as %s counts it: %s",
            row.id,
            row.subject_id,
            new.astimezone(SHANGHAI).date(),
            old.astimezone(SHANGHAI).date(),
            decision.article,
            decision.reason,
        )


async def file_report(
    *, uow: UnitOfWork, rt, who: Principal, period: str, sections: dict
) -> ProviderReport:
    """The provider files its monthly report (L13); one filed after its due date is recorded
    with an L13 flag naming the article and the due date (the bureau sees it, as L14's)."""
    platform = platform_of(who)
    if await uow.session.scalar(
        select(ProviderReport.id).where(
            ProviderReport.platform_id == platform, ProviderReport.period == period
        )
    ):
        raise Conflict(f"the report on {period} is already filed")
    if period >= month_in_china(utcnow()):
        raise InvalidInput(
            "period",
            f"{period} has not ended: {rt.profile.citation('L13')} reports cover a month that has",
        )
    now = utcnow()
    decision = rules.report_filed(rt.profile, period, now)
    late = decision is not None and decision.outcome is Outcome.FLAG
    decisions = [] if decision is None else [decision]
    report = ProviderReport(
        platform_id=platform,
        period=period,
        sections=sections,
        filed_by=who.subject,
        filed_at=now,
        late=late,
        decisions=[d.to_dict() for d in decisions],
    )
    uow.session.add(report)
    await uow.session.flush()
    await deadlines.meet(
        uow=uow,
        subject_kind="provider_report",
        subject_id=f"{platform}:{period}",
        kind="monthly_report",
    )
    await uow.emit(
        "provider_report",
        "filed",
        events_pb2.ProviderReportFiled(
            report_id=report.id,
            platform_id=platform,
            period=period,
            late=late,
            sections=sorted(sections),
            filed_by=to_actor(who),
            decisions=[to_decision(d) for d in decisions],
        ),
        subject=report.id,
    )
    return report


async def file_change(
    *,
    uow: UnitOfWork,
    rt,
    who: Principal,
    title: str,
    plan: str,
    major: bool,
    users_notified: bool,
    starts_at: datetime,
) -> PlatformChange:
    """The provider files a planned platform change; L14 flags a major one filed late."""
    platform = platform_of(who)
    now = utcnow()
    if starts_at <= now:
        raise InvalidInput("starts_at", "a change is filed before it starts")
    if major and rt.profile.applies("L14"):
        # L14 counts working days up to the start: a start past what the calendar counts is the
        # client's date, not a calendar the operator lacks (today's year is never refused here).
        today, starts_on = now.astimezone(SHANGHAI).date(), starts_at.astimezone(SHANGHAI).date()
        until = rules.countable_until(rt.calendar, today)
        if until is not None and today < until <= starts_on:
            raise InvalidInput(
                "starts_at",
                f"starts on {starts_on} (China): {rt.profile.citation('L14')} counts the working "
                "days before a major change, and the working-day calendar covers days up to "
                f"{until - timedelta(days=1)} only",
                rule_id="L14",
                last_day=(until - timedelta(days=1)).isoformat(),
            )
    decision = rules.change_notice(rt.profile, rt.calendar, now, starts_at, major, users_notified)
    change = PlatformChange(
        platform_id=platform,
        title=title,
        plan=plan,
        major=major,
        users_notified=users_notified,
        starts_at=starts_at,
        decisions=[decision.to_dict()],
        filed_by=who.subject,
        filed_at=now,
    )
    uow.session.add(change)
    await uow.session.flush()
    await uow.emit(
        "platform_change",
        "filed",
        events_pb2.PlatformChangeFiled(
            change_id=change.id,
            platform_id=platform,
            title=title,
            major=major,
            users_notified=users_notified,
            starts_at=to_timestamp(starts_at),
            decisions=[to_decision(decision)],
            flagged=decision.outcome is Outcome.FLAG,
            filed_by=to_actor(who),
        ),
        subject=change.id,
    )
    return change


DRILLS = {"subject_kind": "provider_drills", "kind": "emergency_drills"}


async def _drills_held(session, platform: str, year: int) -> int:
    return await session.scalar(
        select(func.count()).where(
            EmergencyDrill.platform_id == platform,
            EmergencyDrill.held_on >= date(year, 1, 1),
            EmergencyDrill.held_on <= date(year, 12, 31),
        )
    )


async def ensure_drill_deadlines(*, rt, now: datetime | None = None) -> int:
    """L15: once a year has ended in China, store (once) for each platform that held fewer
    drills in it than the profile's figure an unmet deadline due at the year's end, so the
    sweep raises it (`deadline.passed`) and the overdue list shows it for `provider:<id>`.

    A platform is judged on the years it was on the catalog for the whole of: one added during
    a year is first judged on the next (it could not hold a year's drills on a platform the
    bureau did not yet use). The scheduler calls this every round."""
    now = now or utcnow()
    year = now.astimezone(SHANGHAI).year - 1
    if rules.drills_required(rt.profile) is None:
        return 0
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    added = 0
    async with rt.db.unit_of_work() as uow:
        s = uow.session
        platforms = (
            await s.scalars(select(ProviderPlatform.id).where(ProviderPlatform.created_at < start))
        ).all()
        subjects = {f"{p}:{year}": p for p in platforms}
        if not subjects:
            return 0
        stored = set(
            (
                await s.scalars(
                    select(Deadline.subject_id).where(
                        Deadline.subject_kind == DRILLS["subject_kind"],
                        Deadline.subject_id.in_(list(subjects)),
                    )
                )
            ).all()
        )
        held = dict(
            (
                await s.execute(
                    select(EmergencyDrill.platform_id, func.count())
                    .where(
                        EmergencyDrill.platform_id.in_(platforms),
                        EmergencyDrill.held_on >= date(year, 1, 1),
                        EmergencyDrill.held_on <= date(year, 12, 31),
                    )
                    .group_by(EmergencyDrill.platform_id)
                )
            ).all()
        )
        for subject, platform in subjects.items():
            if subject in stored:
                continue
            decision = rules.drills_short(rt.profile, year, held.get(platform, 0))
            if decision is None:
                continue
            await deadlines.set_due(
                session=s,
                decision=decision,
                subject_id=subject,
                org_id="",
                party=f"provider:{platform}",
                **DRILLS,
            )
            added += 1
    return added


async def record_drill(
    *, uow: UnitOfWork, rt, who: Principal, held_on: date, summary: str
) -> EmergencyDrill:
    """The provider records an emergency drill it held (L15). A day after today (China) is
    refused: a drill is recorded once held. A drill of a year already judged short that
    brings it to the figure meets that deadline (its `passed_at` stays: it was found short)."""
    platform = platform_of(who)
    today = utcnow().astimezone(SHANGHAI).date()
    if held_on > today:
        raise InvalidInput(
            "held_on",
            f"{held_on} is after today ({today} in Asia/Shanghai): {rt.profile.citation('L15')} "
            "drills are recorded once held",
        )
    s = uow.session
    if await s.scalar(
        select(EmergencyDrill.id).where(
            EmergencyDrill.platform_id == platform, EmergencyDrill.held_on == held_on
        )
    ):
        raise Conflict(f"a drill on {held_on} is already recorded for {platform}")
    drill = EmergencyDrill(
        platform_id=platform, held_on=held_on, summary=summary, filed_by=who.subject
    )
    s.add(drill)
    await s.flush()
    required = rules.drills_required(rt.profile)
    if required is not None and await _drills_held(s, platform, held_on.year) >= required:
        await deadlines.meet(uow=uow, subject_id=f"{platform}:{held_on.year}", **DRILLS)
    await uow.emit(
        "emergency_drill",
        "recorded",
        events_pb2.EmergencyDrillRecorded(
            drill_id=drill.id,
            platform_id=platform,
            held_on=held_on.isoformat(),
            summary=summary,
            filed_by=to_actor(who),
        ),
        subject=drill.id,
    )
    return drill


def visible_drills(who: Principal, year: int | None = None):
    """The select of drills the caller may list: a provider its own platform's, the bureau
    and audit all; oldest first."""
    q = select(EmergencyDrill).order_by(EmergencyDrill.held_on, EmergencyDrill.id)
    if year is not None:
        q = q.where(
            EmergencyDrill.held_on >= date(year, 1, 1), EmergencyDrill.held_on <= date(year, 12, 31)
        )
    if who.has(*READERS) and not who.has(Role.CLOUD_PROVIDER):
        return q
    return q.where(EmergencyDrill.platform_id == platform_of(who))
