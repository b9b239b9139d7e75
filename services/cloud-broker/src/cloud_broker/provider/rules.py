"""Pure rules of provider obligations (L13, L14), figures from the profile."""

from __future__ import annotations

from datetime import date, datetime, time

from cloud_broker.requests.rules import add_months
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile, WorkingCalendar


def report_due(profile: PolicyProfile, period: str) -> Decision | None:
    """L13: the monthly report on `period` is due by the profile's day of the next month
    (PDS: the 5th); None where the profile sets no day (SN: monthly, no day)."""
    if not profile.applies("L13"):
        return None
    day = profile.rule("L13").figures.get("report_due_day_of_month")
    if day is None:
        return None
    nxt = add_months(date(int(period[:4]), int(period[5:]), 1), 1)
    due = datetime.combine(nxt.replace(day=int(day)), time.max, tzinfo=SHANGHAI)
    return Decision.deadline(
        profile, "L13", f"monthly report on {period} due by the {day}th of the next month", due=due
    )


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
