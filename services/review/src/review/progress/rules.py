"""Pure rules of the yearly progress and performance report during construction (F6, YY art21:
在建设期内每年年底前…提交项目绩效评价报告)."""

import calendar as _cal
from datetime import UTC, date, datetime, time, timedelta

from govit_kit.policy import SHANGHAI, Decision, PolicyProfile, calendar_for


def last_day(profile: PolicyProfile, year: int) -> tuple[date, str | None]:
    """The last day of a year's report: the last of the profile's month of that year (年底前),
    moved off a rest day to the next working day (民法典 art 203), and what a reason says of the
    move (None when the day stays)."""
    month = profile.figure("F6", "report_deadline_month")
    return calendar_for(profile).last_day(date(year, month, _cal.monthrange(year, month)[1]))


def report_deadline(profile: PolicyProfile, year: int) -> datetime:
    """The instant a year's report is late: the end of its last day (`last_day`) in China time
    (the first instant of the day after), as UTC."""
    day = last_day(profile, year)[0] + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)


def late_years(
    profile: PolicyProfile, *, first_year: int, reported: set[int], now: datetime
) -> list[int]:
    """The years since construction began (first_year) whose deadline has passed at `now` with
    no report; none where the profile has no F6."""
    if not profile.applies("F6"):
        return []
    out, year = [], first_year
    while report_deadline(profile, year) <= now:
        if year not in reported:
            out.append(year)
        year += 1
    return out


def overdue(profile: PolicyProfile, year: int) -> Decision:
    """F6's flag on a project under construction without its report for `year`."""
    month = profile.figure("F6", "report_deadline_month")
    note = last_day(profile, year)[1]
    return Decision.flag(
        profile,
        "F6",
        f"no progress and performance report for {year} by the end of month {month} "
        "(China time) while under construction" + (f" ({note})" if note else ""),
        year=year,
        report_deadline_month=month,
        deadline=report_deadline(profile, year),
    )


def recorded(profile: PolicyProfile, year: int, *, at: datetime) -> Decision:
    """F6's record of a report: in time, or late (after the year's deadline)."""
    deadline = report_deadline(profile, year)
    late = at >= deadline
    return Decision.allow(
        profile,
        "F6",
        f"progress and performance report for {year} recorded"
        + (" late, after the deadline" if late else " before the deadline"),
        year=year,
        deadline=deadline,
        late=late,
    )
