"""Pure rules of provider obligations (L13, L14, L15, L17), figures from the profile."""

from __future__ import annotations

import calendar as _cal
from datetime import date, datetime, time, timedelta

from cloud_broker.requests.rules import add_months
from govit_kit.policy import (
    SHANGHAI,
    CalendarYearUnknown,
    Decision,
    PolicyProfile,
    WorkingCalendar,
)


def report_due(profile: PolicyProfile, period: str) -> Decision | None:
    """L13: when the provider's report on `period` (a month in China) is due.

    The report on a month is delivered in the month(s) after it (a report covers a month that
    has ended): within the profile's `report_interval_months` after the period. Where the
    profile sets a day (PDS C art14: 每月5日前, `report_due_day_of_month` = 5) it is due by that
    day of the month after; where it sets none (SN C art19: 定期(每月不少于1次)提供运行维护报告,
    at least once each month) by the end, in China, of the month after: the month in which the
    provider must deliver at least one report, so a month that ends with none leaves it
    overdue. None where L13 does not apply or the profile sets no interval."""
    if not profile.applies("L13"):
        return None
    figures = profile.rule("L13").figures
    interval = figures.get("report_interval_months")
    if interval is None:
        return None
    nxt = add_months(date(int(period[:4]), int(period[5:]), 1), int(interval))
    day = figures.get("report_due_day_of_month")
    if day is not None:
        due = datetime.combine(nxt.replace(day=int(day)), time.max, tzinfo=SHANGHAI)
        return Decision.deadline(
            profile,
            "L13",
            f"monthly report on {period} due by the {day}th of the next month",
            due=due,
        )
    last = nxt.replace(day=_cal.monthrange(nxt.year, nxt.month)[1])
    due = datetime.combine(last, time.max, tzinfo=SHANGHAI)
    return Decision.deadline(
        profile,
        "L13",
        f"monthly report on {period} due within {nxt:%Y-%m} (at least one report each month)",
        due=due,
    )


def report_filed(profile: PolicyProfile, period: str, filed_at: datetime) -> Decision | None:
    """L13: a report filed after its due date (`report_due`) is flagged for the bureau, naming
    the rule, the profile's article and the due date; one filed by it is allowed. None where
    no due date is set (L13 does not apply, or the profile sets no interval)."""
    due = report_due(profile, period)
    if due is None:
        return None
    by = due.figures["due"]
    if filed_at <= by:
        return Decision.allow(
            profile, "L13", f"monthly report on {period} filed by its due date", due=by
        )
    filed_on = filed_at.astimezone(SHANGHAI).date()
    return Decision.flag(
        profile,
        "L13",
        f"monthly report on {period} filed on {filed_on}, after its due date "
        f"{by.astimezone(SHANGHAI).date()} (China)",
        due=by,
        filed_at=filed_at,
    )


def countable_until(calendar: WorkingCalendar, since: date) -> date | None:
    """The first day, from since's year on, of a year the working-day calendar cannot count
    (neither chinese-calendar, the profile's calendar_overrides nor the statute's computation
    covers it); None when every year up to date.max's is covered. Working days between two
    days are counted only when every year between them is covered."""
    for year in range(since.year, date.max.year + 1):
        first = date(year, 1, 1)
        # A year is covered whole or not at all; a weekday, since a weekend is a rest day
        # without asking for the year's holidays.
        weekday = first + timedelta(days=max(0, 7 - first.weekday()) if first.weekday() >= 5 else 0)
        try:
            calendar.is_workday(weekday)
        except CalendarYearUnknown:
            return date(year, 1, 1)
    return None


def change_notice(
    profile: PolicyProfile,
    calendar: WorkingCalendar,
    filed_at: datetime,
    starts_at: datetime,
    major: bool,
    users_notified: bool,
) -> Decision:
    """L14: a major platform change is filed at least the profile's working days ahead, users
    told; a late or silent one is flagged for the bureau."""
    if not major or not profile.applies("L14"):
        return Decision.allow(profile, "L14", "no advance filing required")
    days = int(profile.rule("L14").figures["advance_filing_working_days"])
    ahead = calendar.working_days_between(filed_at, starts_at)
    if ahead < days or not users_notified:
        why = []
        if ahead < days:
            why.append(f"filed {ahead} working day(s) ahead, at least {days} required")
        if not users_notified:
            why.append("users not told in advance")
        return Decision.flag(
            profile, "L14", "; ".join(why), working_days_ahead=ahead, required=days
        )
    return Decision.allow(
        profile, "L14", f"filed {ahead} working days ahead", working_days_ahead=ahead, required=days
    )


def drills_required(profile: PolicyProfile) -> int | None:
    """L15: the fewest emergency drills a provider holds each year (PDS C art14: 每年至少组织2次
    应急演练, `min_drills_per_year`); None where L15 does not apply or sets no number (SN C
    art26 asks for drills with no number)."""
    if not profile.applies("L15"):
        return None
    n = profile.rule("L15").figures.get("min_drills_per_year")
    return None if n is None else int(n)


def year_end(year: int) -> datetime:
    """The last instant of a year in China."""
    return datetime.combine(date(year, 12, 31), time.max, tzinfo=SHANGHAI)


def drills_short(profile: PolicyProfile, year: int, held: int) -> Decision | None:
    """L15: the deadline a platform missed when it held fewer drills in `year` (China) than
    the profile's figure, due at the year's end; None when it held enough or nothing is set."""
    required = drills_required(profile)
    if required is None or held >= required:
        return None
    return Decision.deadline(
        profile,
        "L15",
        f"{held} emergency drill(s) held in {year}; at least {required} a year",
        due=year_end(year),
        year=year,
        held=held,
        required=required,
    )


def logs_kept(profile: PolicyProfile, today: date, kept_until: date | None) -> Decision | None:
    """L17 (SN C art31: 使用单位和云服务商应确保各应用系统和云平台运行操作日志信息至少完整保存一年)
    at the data wipe of an exit (L7): wiping a resource must not take its operation logs with
    it, so the provider attests they are kept until at least the profile's
    `log_retention_min_years` after the wipe (the newest logs are the wipe day's). A refusal
    names the earliest acceptable day; None where L17 does not apply or sets no figure."""
    if not profile.applies("L17"):
        return None
    years = profile.rule("L17").figures.get("log_retention_min_years")
    if years is None:
        return None
    earliest = add_months(today, 12 * int(years))
    if kept_until is None or kept_until < earliest:
        stated = "no date" if kept_until is None else kept_until.isoformat()
        return Decision.refuse(
            profile,
            "L17",
            f"the resources' operation logs are kept complete at least {years} year(s) after "
            f"the wipe: until {earliest.isoformat()} or later (stated: {stated})",
            earliest=earliest,
        )
    return Decision.allow(
        profile, "L17", f"operation logs kept until {kept_until.isoformat()}", earliest=earliest
    )
