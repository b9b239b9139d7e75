"""Working days (工作日) on the State Council calendar, make-up workdays (调休) included."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import chinese_calendar
from borax.calendars.lunardate import MAX_LUNAR_YEAR, LunarDate, TermUtils

if TYPE_CHECKING:
    from .profile import PolicyProfile

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    SHANGHAI: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:
    # Slim images without tzdata: China has kept UTC+8, without DST, since 1991.
    SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def month_in_china(at: dt.datetime) -> str:
    """The month (YYYY-MM) an instant falls in, in China: the unit the monthly rules count."""
    return f"{at.astimezone(SHANGHAI):%Y-%m}"


class CalendarYearUnknown(Exception):
    """A year no source covers: chinese-calendar does not know it, the profile has no overrides
    for it, and the statute's computation does not reach it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no working-day calendar for {year}: chinese_calendar does not know that year and "
            f"the statutory computation covers {STATUTE_IN_FORCE}-{LAST_COMPUTABLE_YEAR} only; "
            f"add the State Council holidays and make-up workdays of {year} to the profile's "
            "calendar_overrides (or upgrade chinese-calendar) rather than guess"
        )


# Years nobody has published yet (the State Council's notice not out, or chinese-calendar not yet
# shipped with it) are computed from the statute, so deadlines do not stop at New Year: the
# statutory holidays of 全国年节及纪念日放假办法 (2024 revision, in force from 2025) art. 2, and
# by art. 6 a substitute weekday (补假) for each one that falls on a Saturday or Sunday. Other days
# follow Monday to Friday: the notice's own bridging days and weekend make-up workdays (调休) are
# unknown, so a provisional year may count a few more working days than the final one. A profile's
# calendar_overrides and chinese-calendar both win over the computation.
STATUTE_IN_FORCE = 2025  # the 2024 revision's art. 2 and 6: no earlier year is computed
# Lunar dates and 清明 come from borax's tables, which cover lunar years 1900-2100.
LAST_COMPUTABLE_YEAR = MAX_LUNAR_YEAR


def _statutory_days(year: int) -> list[dt.date]:
    """Art. 2's days of a year in date order, once per holiday: a day two holidays share (中秋 on
    a 国庆 day, as in 2028) is listed twice."""
    chuxi = LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)  # the 12th month's last
    days = [
        dt.date(year, 1, 1),  # 元旦
        *(chuxi + dt.timedelta(days=i) for i in range(4)),  # 春节: 除夕, 正月初一 to 初三
        TermUtils.nth_term_day(year, term_name="清明"),  # 清明 (the solar term's day)
        dt.date(year, 5, 1),  # 劳动节
        dt.date(year, 5, 2),
        LunarDate(year, 5, 5).to_solar_date(),  # 端午
        LunarDate(year, 8, 15).to_solar_date(),  # 中秋
        *(dt.date(year, 10, d) for d in (1, 2, 3)),  # 国庆
    ]
    return sorted(days)


@functools.cache
def provisional_holidays(year: int) -> frozenset[dt.date]:
    """A year's rest days other than weekends, computed from the statute (see above)."""
    if not STATUTE_IN_FORCE <= year <= LAST_COMPUTABLE_YEAR:
        raise CalendarYearUnknown(year)
    statutory = _statutory_days(year)
    holidays = set(statutory)
    seen: set[dt.date] = set()
    for day in statutory:
        # A holiday on a weekend, or on a day another holiday already takes, is given the first
        # weekday after it that is still a working day (art. 6; the State Council has done the
        # same for coinciding holidays, e.g. 中秋 on 3 October 2009 and 1 October 2020).
        if day.weekday() >= 5 or day in seen:
            sub = day + dt.timedelta(days=1)
            while sub.weekday() >= 5 or sub in holidays:
                sub += dt.timedelta(days=1)
            holidays.add(sub)
        seen.add(day)
    return frozenset(holidays)


@functools.cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def incomplete_declared_years(days: Iterable[dt.date]) -> dict[int, list[dt.date]]:
    """The years the overridden `days` declare without the whole notice: for each year nobody
    has published (chinese-calendar does not know it) that the statute computes, its statutory
    holidays on a weekday the overrides do not list. A declared year's unlisted days follow
    Monday to Friday, so one override alone (a local day off) would drop all the year's holidays
    and end its provisional status: the profile is refused instead (PolicyProfile)."""
    listed = set(days)
    missing: dict[int, list[dt.date]] = {}
    for year in sorted({d.year for d in listed}):
        if _library_knows(year) or not STATUTE_IN_FORCE <= year <= LAST_COMPUTABLE_YEAR:
            continue
        lacking = sorted({d for d in _statutory_days(year) if d.weekday() < 5 and d not in listed})
        if lacking:
            missing[year] = lacking
    return missing


def provisional_mark(years: Iterable[int]) -> str | None:
    """What a stored due date keeps of the years it was counted on provisionally: "2027" or
    "2027,2028" (None: counted on published calendars only)."""
    return ",".join(map(str, sorted(set(years)))) or None


def marked_years(mark: str | None) -> list[int]:
    """The years of a provisional_mark."""
    return [int(y) for y in mark.split(",")] if mark else []


def note_for(mark: str | None) -> str | None:
    """What a due date counted with this provisional_mark tells its reader (None if none)."""
    years = marked_years(mark)
    if not years:
        return None
    return (
        f"counted on a provisional calendar for {', '.join(map(str, years))}: statutory "
        "holidays and their substitute days, without the State Council's yet unpublished "
        "make-up workdays"
    )


class Count(NamedTuple):
    """A due date counted in working days: the instant it falls due (for a clock paused now, as
    it stood when paused), the working days left at an open pause (None: the clock runs), and
    the provisional_mark of the years the count used the statute's computation for."""

    due: dt.datetime
    left: int | None
    provisional: str | None


def _local_date(value: dt.date | dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of an aware datetime, or a date as given."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                "datetime must be timezone-aware (working days are counted in Asia/Shanghai)"
            )
        return value.astimezone(SHANGHAI).date()
    return value


class WorkingCalendar:
    """Working days from chinese_calendar, with operator overrides that win over it."""

    def __init__(self, overrides: Mapping[dt.date, bool] | None = None):
        self.overrides: dict[dt.date, bool] = dict(overrides or {})
        # A year with any override is declared by the operator: its other days follow Mon-Fri.
        # A profile must therefore declare an unpublished year whole (incomplete_declared_years).
        self._declared_years = {d.year for d in self.overrides}

    def is_workday(self, d: dt.date | dt.datetime) -> bool:
        """Whether the (Shanghai) date is a working day; CalendarYearUnknown rather than a guess."""
        day = _local_date(d)
        if day in self.overrides:
            return self.overrides[day]
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year in self._declared_years:
            return day.weekday() < 5
        return day.weekday() < 5 and day not in provisional_holidays(day.year)

    def is_provisional(self, year: int) -> bool:
        """Whether a year is counted on the statute's computation (nobody has published it)."""
        return not _library_knows(year) and year not in self._declared_years

    def provisional_years(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> list[int]:
        """The years from a's to b's counted on the computed calendar, for a decision to say so."""
        first, last = sorted((_local_date(a), _local_date(b)))
        return [y for y in range(first.year, last.year + 1) if self.is_provisional(y)]

    def published_since(self, mark: str | None) -> bool:
        """Whether a due date counted with this provisional_mark must be counted again: one of
        the years it counted provisionally is now published (chinese-calendar upgraded) or
        declared (the notice entered in the profile's calendar_overrides)."""
        return any(not self.is_provisional(y) for y in marked_years(mark))

    def count(
        self,
        start: dt.datetime,
        n: int,
        pauses: Sequence[tuple[dt.datetime, dt.datetime | None]] = (),
    ) -> Count:
        """n working days from start (as add_working_days), the clock standing still from each
        pause to its resume (the last may still be open), with what it takes to count it again.
        The working days left at a pause are those from the pause to the due date as it stood;
        a pause after the due date excuses nothing: the due date stands and the count ends."""
        at, left = start, n
        due = self.add_working_days(at, left)
        years = set(self.provisional_years(at, due))
        for paused, resumed in pauses:
            if paused > due:
                break
            years.update(self.provisional_years(paused, due))
            left = max(self.working_days_between(paused, due), 0)
            if resumed is None:
                return Count(due, left, provisional_mark(years))
            at = resumed
            due = self.add_working_days(at, left)
            years.update(self.provisional_years(at, due))
        return Count(due, None, provisional_mark(years))

    def known_until(self, at: dt.date | dt.datetime) -> dt.date:
        """The first day, from at's year on, of a year counted provisionally: up to there the
        State Council's calendar is entered (chinese-calendar or the profile's overrides)."""
        year = _local_date(at).year
        while not self.is_provisional(year):
            year += 1
        return dt.date(year, 1, 1)

    def provisional_note(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> str | None:
        """What a deadline spanning a provisional year tells its reader (None if none does)."""
        return note_for(provisional_mark(self.provisional_years(a, b)))

    def next_workday(self, d: dt.date | dt.datetime) -> dt.date:
        """The first working day on or after the (Shanghai) date."""
        day = _local_date(d)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """End of the nth working day after start's Shanghai date, in UTC (n=0: it or the next)."""
        # "End" is 23:59:59.999999 Asia/Shanghai: a deadline falls due at the close of its day.
        if not isinstance(start, dt.datetime):
            raise TypeError("start must be a timezone-aware datetime")
        if n < 0:
            raise ValueError("n must be >= 0")
        day = _local_date(start)
        if n == 0:
            day = self.next_workday(day)
        while n > 0:
            day += dt.timedelta(days=1)
            n -= self.is_workday(day)
        return dt.datetime.combine(day, dt.time.max, tzinfo=SHANGHAI).astimezone(dt.UTC)

    def working_days_between(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
        """Working days after a's date up to and including b's date (negative if b is earlier)."""
        first, last = _local_date(a), _local_date(b)
        if last < first:
            return -self.working_days_between(b, a)
        return sum(
            self.is_workday(first + dt.timedelta(days=i)) for i in range(1, (last - first).days + 1)
        )


def calendar_for(profile: PolicyProfile) -> WorkingCalendar:
    """The working calendar of a profile, with its calendar_overrides."""
    return WorkingCalendar({o.date: o.workday for o in profile.calendar_overrides})
