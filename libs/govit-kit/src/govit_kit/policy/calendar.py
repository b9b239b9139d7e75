"""Working days (工作日) on the State Council calendar, make-up workdays (调休) included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import chinese_calendar

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


# Years the State Council has not yet published (or chinese-calendar not yet shipped), kept
# provisionally so deadlines do not stop at New Year. Each lists the statutory holidays of
# 全国年节及纪念日放假办法 (2024 revision) art. 2 (元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2,
# 端午 1, 中秋 1, 国庆 3; lunar dates converted for the year) and, by art. 6, a substitute
# weekday (补假) after each one that falls on a Saturday or Sunday. Other days follow Monday to
# Friday: the notice's own bridging days and weekend make-up workdays (调休) are unknown, so a
# provisional year may count a few more working days than the final one. chinese-calendar and a
# profile's calendar_overrides both win over this table; drop a year once the library has it.
PROVISIONAL_HOLIDAYS: dict[int, frozenset[dt.date]] = {
    2027: frozenset(
        dt.date(2027, m, d)
        for m, d in [
            (1, 1),  # 元旦 (Friday)
            (2, 5), (2, 6), (2, 7), (2, 8),  # 春节: 除夕 to 正月初三 (初一 is 6 February)
            (2, 9), (2, 10),  # 补假 for 6 and 7 February (Saturday, Sunday)
            (4, 5),  # 清明
            (5, 1), (5, 2), (5, 3), (5, 4),  # 劳动节 (Saturday, Sunday) and its 补假
            (6, 9),  # 端午 (五月初五)
            (9, 15),  # 中秋 (八月十五)
            (10, 1), (10, 2), (10, 3), (10, 4), (10, 5),  # 国庆 (Fri-Sun) and its 补假
        ]
    )
}  # fmt: skip


class CalendarYearUnknown(Exception):
    """A year the holiday data does not cover and the profile has no overrides for."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no working-day calendar for {year}: chinese_calendar does not know that year; "
            f"add the State Council holidays and make-up workdays of {year} to the profile's "
            "calendar_overrides (or upgrade chinese-calendar) rather than guess"
        )


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


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
        self._declared_years = {d.year for d in self.overrides}

    def is_workday(self, d: dt.date | dt.datetime) -> bool:
        """Whether the (Shanghai) date is a working day; CalendarYearUnknown rather than a guess."""
        day = _local_date(d)
        if day in self.overrides:
            return self.overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year in self._declared_years:
                return day.weekday() < 5
            if day.year in PROVISIONAL_HOLIDAYS:
                return day.weekday() < 5 and day not in PROVISIONAL_HOLIDAYS[day.year]
            raise CalendarYearUnknown(day.year) from None

    def provisional_years(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> list[int]:
        """The years from a's to b's counted on PROVISIONAL_HOLIDAYS, for a decision to say so."""
        first, last = sorted((_local_date(a), _local_date(b)))
        return [
            y
            for y in range(first.year, last.year + 1)
            if y in PROVISIONAL_HOLIDAYS and y not in self._declared_years and not _library_knows(y)
        ]

    def provisional_note(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> str | None:
        """What a deadline spanning a provisional year tells its reader (None if none does)."""
        years = self.provisional_years(a, b)
        if not years:
            return None
        return (
            f"counted on a provisional calendar for {', '.join(map(str, years))}: statutory "
            "holidays and their substitute days, without the State Council's yet unpublished "
            "make-up workdays"
        )

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
