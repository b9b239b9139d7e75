"""Pure rules of the yearly progress and performance report during construction (F6, YY art21:
在建设期内每年年底前…提交项目绩效评价报告)."""

from datetime import UTC, date, datetime, time

from govit_kit.policy import SHANGHAI, Decision, PolicyProfile


def report_deadline(profile: PolicyProfile, year: int) -> datetime:
    """The instant a year's report is late: the end of the profile's month of that year in
    China time (the first instant of the next month), as UTC."""
    month = profile.figure("F6", "report_deadline_month")
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return datetime.combine(nxt, time(0), tzinfo=SHANGHAI).astimezone(UTC)


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
    return Decision.flag(
        profile,
        "F6",
        f"no progress and performance report for {year} by the end of month {month} "
        "(China time) while under construction",
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
