"""Working days on the State Council calendar (make-up workdays included), Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest

from govit_kit.policy import (
    PROVISIONAL_HOLIDAYS,
    SHANGHAI,
    CalendarYearUnknown,
    WorkingCalendar,
    calendar_for,
    load_profile,
)
from govit_kit.policy.calendar import _library_knows

D = dt.date.fromisoformat
UTC = dt.UTC


def sh(iso: str) -> dt.datetime:
    """A Shanghai wall-clock time."""
    return dt.datetime.fromisoformat(iso).replace(tzinfo=SHANGHAI)


def end_of(day: str) -> dt.datetime:
    """The last instant of a Shanghai date, in UTC (what add_working_days returns)."""
    return dt.datetime.combine(D(day), dt.time(23, 59, 59, 999999), tzinfo=SHANGHAI).astimezone(UTC)


CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        ("2024-02-04", True),  # Sunday, make-up workday (调休) for Spring Festival
        ("2024-02-18", True),  # Sunday, make-up workday
        ("2024-02-09", True),  # Friday, New Year's Eve (除夕): not an official holiday in 2024
        ("2024-02-12", False),  # Monday inside Spring Festival (02-10..02-17)
        ("2024-09-28", False),  # ordinary Saturday
        ("2024-09-29", True),  # Sunday, make-up workday for National Day
        ("2024-10-12", True),  # Saturday, make-up workday for National Day
        ("2024-09-30", True),
        ("2024-10-08", True),
    ]
    + [(f"2024-10-0{i}", False) for i in range(1, 8)],
)  # Golden Week 10-01..10-07
def test_is_workday(day, workday):
    assert CAL.is_workday(D(day)) is workday


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        ("2024-09-27T10:00", 0, "2024-09-27"),  # a working day: its own end
        (
            "2024-09-27T10:00",
            1,
            "2024-09-29",
        ),  # Saturday 09-28 is off, Sunday 09-29 is a make-up workday
        ("2024-09-27T10:00", 2, "2024-09-30"),
        ("2024-09-27T10:00", 3, "2024-10-08"),  # across Golden Week
        ("2024-10-03T09:00", 0, "2024-10-08"),  # a holiday: the end of the next working day
        ("2024-10-03T09:00", 1, "2024-10-08"),
        ("2024-10-03T09:00", 5, "2024-10-12"),  # Saturday 10-12 is a make-up workday
        (
            "2024-02-09T12:00",
            1,
            "2024-02-18",
        ),  # Spring Festival: 02-10..02-17 off, Sunday 02-18 a make-up workday
    ],
)
def test_add_working_days(start, n, end):
    got = CAL.add_working_days(sh(start), n)
    assert got == end_of(end) and got.tzinfo is UTC


def test_shanghai_boundary():
    # 2024-09-30T15:00Z is 23:00 on 09-30 in Shanghai (a working day);
    # 17:00Z is already 10-01 there (a holiday).
    before = dt.datetime(2024, 9, 30, 15, tzinfo=UTC)
    after = dt.datetime(2024, 9, 30, 17, tzinfo=UTC)
    assert (
        CAL.add_working_days(before, 0)
        == end_of("2024-09-30")
        == dt.datetime(2024, 9, 30, 15, 59, 59, 999999, tzinfo=UTC)
    )
    assert CAL.add_working_days(after, 0) == end_of("2024-10-08")
    assert CAL.is_workday(before) and not CAL.is_workday(after)
    assert CAL.working_days_between(before, after) == 0


def test_add_working_days_rejects_naive_and_negative():
    with pytest.raises(ValueError, match="aware"):
        CAL.add_working_days(dt.datetime(2024, 9, 27), 1)
    with pytest.raises(ValueError):
        CAL.add_working_days(sh("2024-09-27T10:00"), -1)


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [
        ("2024-09-27", "2024-09-27", 0),
        ("2024-09-27", "2024-10-08", 3),  # 09-29, 09-30, 10-08
        ("2024-10-08", "2024-09-27", -3),
        ("2024-09-30", "2024-10-07", 0),  # Golden Week
        ("2024-02-01", "2024-02-29", 17),  # 02-02, 02-04, 02-05..09, 02-18..23, 02-26..29
    ],
)
def test_working_days_between(a, b, n):
    assert CAL.working_days_between(D(a), D(b)) == n


def test_between_inverts_add():
    start = sh("2024-09-20T08:00")
    for n in range(0, 15):
        end = CAL.add_working_days(start, n)
        assert CAL.working_days_between(start, end) == n  # start is a working day (Friday)


def test_unknown_year_raises():
    with pytest.raises(CalendarYearUnknown) as exc:
        CAL.is_workday(D("2099-03-03"))
    assert (
        exc.value.year == 2099
        and "2099" in str(exc.value)
        and "calendar_overrides" in str(exc.value)
    )
    with pytest.raises(CalendarYearUnknown):
        CAL.add_working_days(sh("2099-12-30T10:00"), 5)


def test_unknown_year_overridden():
    cal = WorkingCalendar({D("2099-01-01"): False, D("2099-01-03"): True})
    assert cal.is_workday(D("2099-01-01")) is False  # Thursday, declared a holiday
    assert cal.is_workday(D("2099-01-03")) is True  # Saturday, declared a make-up workday
    assert (
        cal.is_workday(D("2099-01-02")) is True
    )  # a declared year's other days follow Monday-Friday
    assert cal.is_workday(D("2099-01-04")) is False  # Sunday
    with pytest.raises(CalendarYearUnknown):  # declaring 2099 says nothing about 2098
        cal.is_workday(D("2098-06-01"))


def test_override_wins_over_library():
    cal = WorkingCalendar({D("2024-10-01"): True, D("2024-09-29"): False})
    assert cal.is_workday(D("2024-10-01")) and not cal.is_workday(D("2024-09-29"))
    assert cal.add_working_days(sh("2024-09-27T10:00"), 1) == end_of("2024-09-30")


def test_calendar_for_profile():
    profile = load_profile("suining").model_copy(update={"calendar_overrides": []})
    assert calendar_for(profile).overrides == {}
    data = profile.model_dump()
    data["calendar_overrides"] = [
        {"date": D("2099-10-01"), "workday": False, "note": "National Day"}
    ]
    cal = calendar_for(type(profile).model_validate(data))
    assert cal.is_workday(D("2099-10-01")) is False and cal.is_workday(D("2099-09-30")) is True


# The provisional years are tested on their own table, so the tests keep their meaning after
# chinese-calendar ships the year (the library then wins, and the years are no longer provisional).
def provisional(day: str) -> bool:
    d = D(day)
    return d.weekday() < 5 and d not in PROVISIONAL_HOLIDAYS[d.year]


def test_provisional_2027_keeps_the_statutory_holidays_and_their_substitute_days():
    days = PROVISIONAL_HOLIDAYS[2027]
    # 全国年节及纪念日放假办法 art. 2: 13 statutory days; art. 6: six fall on a weekend.
    weekend = [d for d in days if d.weekday() >= 5]
    assert len(days) == 13 + len(weekend) and len(weekend) == 6
    assert not provisional("2027-01-01")  # 元旦, Friday
    assert not provisional("2027-02-05") and not provisional("2027-02-10")  # 除夕 .. 补假
    assert provisional("2027-02-11")
    assert not provisional("2027-05-04") and provisional("2027-05-06")
    assert not provisional("2027-10-05") and provisional("2027-10-06")
    assert not provisional("2027-01-02")  # an ordinary Saturday stays a rest day


def test_a_deadline_runs_into_a_provisional_year_and_says_so():
    # uv.lock pins chinese-calendar; an upgrade that knows the year fails here on purpose.
    assert not any(map(_library_knows, PROVISIONAL_HOLIDAYS)), (
        "chinese-calendar now knows a provisional year: drop it from PROVISIONAL_HOLIDAYS"
    )
    start = sh("2026-12-30T10:00")  # Wednesday; 1 January 2027 is a holiday
    assert CAL.add_working_days(start, 2) == end_of("2027-01-04")
    assert CAL.provisional_years(start, D("2027-01-04")) == [2027]
    assert "provisional calendar for 2027" in CAL.provisional_note(start, D("2027-01-04"))
    assert CAL.provisional_note(start, D("2026-12-31")) is None
    # An operator who declares the year owns it: the provisional table is not consulted at all.
    declared = WorkingCalendar({D("2027-01-04"): False})
    assert declared.provisional_years(start, D("2027-01-05")) == []
    assert declared.add_working_days(start, 2) == end_of("2027-01-01")
