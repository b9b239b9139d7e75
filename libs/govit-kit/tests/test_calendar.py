"""Working days on the State Council calendar (make-up workdays included), Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from govit_kit.policy import (
    SHANGHAI,
    CalendarYearUnknown,
    WorkingCalendar,
    calendar_for,
    load_profile,
    provisional_holidays,
)
from govit_kit.policy.calendar import LAST_COMPUTABLE_YEAR, _library_knows, _statutory_days

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
    # Past the lunar tables (2100), and before the 2024 revision where the library has no data.
    assert LAST_COMPUTABLE_YEAR == 2100
    for year in (2101, 2003):
        with pytest.raises(CalendarYearUnknown) as exc:
            CAL.is_workday(dt.date(year, 3, 3))
        assert (
            exc.value.year == year
            and str(year) in str(exc.value)
            and "calendar_overrides" in str(exc.value)
        )
    with pytest.raises(CalendarYearUnknown):
        CAL.add_working_days(sh("2100-12-30T10:00"), 5)


def test_unknown_year_overridden():
    cal = WorkingCalendar({D("2105-01-01"): False, D("2105-01-03"): True})
    assert cal.is_workday(D("2105-01-01")) is False  # Thursday, declared a holiday
    assert cal.is_workday(D("2105-01-03")) is True  # Saturday, declared a make-up workday
    assert (
        cal.is_workday(D("2105-01-02")) is True
    )  # a declared year's other days follow Monday-Friday
    assert cal.is_workday(D("2105-01-04")) is False  # Sunday
    with pytest.raises(CalendarYearUnknown):  # declaring 2105 says nothing about 2104
        cal.is_workday(D("2104-06-02"))


def test_override_wins_over_library():
    cal = WorkingCalendar({D("2024-10-01"): True, D("2024-09-29"): False})
    assert cal.is_workday(D("2024-10-01")) and not cal.is_workday(D("2024-09-29"))
    assert cal.add_working_days(sh("2024-09-27T10:00"), 1) == end_of("2024-09-30")


def test_calendar_for_profile():
    profile = load_profile("suining").model_copy(update={"calendar_overrides": []})
    assert calendar_for(profile).overrides == {}
    data = profile.model_dump()
    data["calendar_overrides"] = [
        {"date": D("2105-10-01"), "workday": False, "note": "National Day"}
    ]
    cal = calendar_for(type(profile).model_validate(data))
    assert cal.is_workday(D("2105-10-01")) is False and cal.is_workday(D("2105-09-30")) is True


# The provisional years are tested on the computation itself, so the tests keep their meaning
# after chinese-calendar ships a year (the library then wins, and the year is no longer
# provisional).
def provisional(day: str) -> bool:
    d = D(day)
    return d.weekday() < 5 and d not in provisional_holidays(d.year)


# The table the kit kept by hand for 2027 before the computation; the computation must equal it.
HAND_2027 = frozenset(
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
)  # fmt: skip


def test_provisional_2027_equals_the_hand_table():
    assert provisional_holidays(2027) == HAND_2027
    # 全国年节及纪念日放假办法 art. 2: 13 statutory days; art. 6: six fall on a weekend.
    weekend = [d for d in HAND_2027 if d.weekday() >= 5]
    assert len(_statutory_days(2027)) == 13 and len(weekend) == 6
    assert not provisional("2027-01-01")  # 元旦, Friday
    assert not provisional("2027-02-05") and not provisional("2027-02-10")  # 除夕 .. 补假
    assert provisional("2027-02-11")
    assert not provisional("2027-05-04") and provisional("2027-05-06")
    assert not provisional("2027-10-05") and provisional("2027-10-06")
    assert not provisional("2027-01-02")  # an ordinary Saturday stays a rest day


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_computation_matches_the_published_calendar(year):
    # The 2024 revision is in force from 2025, and chinese-calendar has the State Council's
    # notices for 2025 and 2026: every computed statutory and substitute day is a holiday there.
    assert _library_knows(year)
    computed = provisional_holidays(year)
    assert len(computed) >= 13
    assert [d for d in computed if chinese_calendar.is_workday(d)] == []
    # and the published holidays on weekdays that the computation lacks are bridging days, each
    # paid back by a weekend make-up workday (调休): as many of one as of the other.
    published = chinese_calendar.get_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31))
    bridging = [d for d in published if d.weekday() < 5 and d not in computed]
    make_up = chinese_calendar.get_workdays(
        dt.date(year, 1, 1), dt.date(year, 12, 31), include_weekends=True
    )
    assert len(bridging) == len([d for d in make_up if d.weekday() >= 5])


def test_provisional_2028_spot_checks():
    # 除夕 2028 is 25 January (Tuesday), 春节 26 January; 清明 4 April; 端午 (五月初五) 28 May,
    # a Sunday; 中秋 (八月十五) 3 October, a 国庆 day. Sources: borax's lunar and solar-term
    # tables (what the kit computes with); checked when borax was chosen against lunardate's
    # table and lunar-python's astronomical computation, which give the same 除夕, 端午, 中秋 and
    # 清明 for every year 2001-2100 except 中秋 2089 (borax 19 September, both others the 18th).
    days = provisional_holidays(2028)
    assert D("2028-01-25") in days and D("2028-01-26") in days and D("2028-01-24") not in days
    assert D("2028-01-28") in days and D("2028-01-29") not in days  # 正月初三 is the last
    assert D("2028-01-03") in days  # 补假 for 元旦 on a Saturday
    assert D("2028-04-04") in days and D("2028-04-05") not in days
    assert D("2028-05-28") in days and D("2028-05-29") in days  # 端午 and its 补假
    # 国庆 1-3 October with 1 October a Sunday, and 中秋 on the 3rd: two substitute days.
    assert {D(f"2028-10-0{i}") for i in range(1, 6)} <= days and D("2028-10-06") not in days
    assert len(days) == 16


def test_qingming_agrees_with_chinese_calendar_solar_terms():
    # Two independent sources for the solar term: borax's table and chinese-calendar's formula
    # (寿星公式 with its corrections), which covers 1900-2100 (its 21st-century constants are off
    # for 2100, where it says 4 April and borax and lunar-python say 5 April).
    for year in range(2025, 2100):
        [qingming] = [
            d
            for d, name in chinese_calendar.get_solar_terms(
                dt.date(year, 4, 1), dt.date(year, 4, 30)
            )
            if name == "清明"
        ]
        assert qingming in provisional_holidays(year), year
        assert qingming in _statutory_days(year), year


def test_every_computable_year_has_its_days():
    for year in range(2025, LAST_COMPUTABLE_YEAR + 1):
        statutory = _statutory_days(year)
        assert len(statutory) == 13 and all(d.year == year for d in statutory)
        new_years_eve, spring = statutory[1], statutory[2]
        assert spring - new_years_eve == dt.timedelta(days=1)
        assert dt.date(year, 1, 20) <= new_years_eve <= dt.date(year, 2, 19)
        # one substitute per holiday on a weekend or on a day an earlier holiday already takes
        extra = sum(d.weekday() >= 5 or d in statutory[:i] for i, d in enumerate(statutory))
        assert len(provisional_holidays(year)) == len(set(statutory)) + extra
        assert provisional_holidays(year) is provisional_holidays(year)  # cached


def test_a_deadline_runs_into_a_provisional_year_and_says_so(unpublished_after_2026):
    start = sh("2026-12-30T10:00")  # Wednesday; 1 January 2027 is a holiday
    assert CAL.add_working_days(start, 2) == end_of("2027-01-04")
    assert CAL.provisional_years(start, D("2027-01-04")) == [2027]
    assert "provisional calendar for 2027" in CAL.provisional_note(start, D("2027-01-04"))
    assert CAL.provisional_note(start, D("2026-12-31")) is None
    # An operator who declares the year owns it: the computation is not consulted at all.
    declared = WorkingCalendar({D("2027-01-04"): False})
    assert declared.provisional_years(start, D("2027-01-05")) == []
    assert declared.add_working_days(start, 2) == end_of("2027-01-01")


def test_a_deadline_runs_into_2028(unpublished_after_2026):
    # Monday 20 December 2027: 21-24, 27-31 December, then 1 January 2028 a Saturday (元旦)
    # with its 补假 on Monday 3 January; the 10th working day is Tuesday 4 January.
    start = sh("2027-12-20T10:00")
    due = CAL.add_working_days(start, 10)
    assert due == end_of("2028-01-04")
    assert CAL.provisional_years(start, due) == [2027, 2028]
    assert "provisional calendar for 2027, 2028" in CAL.provisional_note(start, due)
    assert CAL.working_days_between(start, due) == 10


def test_known_until(unpublished_after_2026):
    # chinese-calendar as 1.11.0 knows it (2004-2026, whatever version is installed: the
    # fixture): from 2027 the calendar is provisional. An upgrade that knows 2027 needs nothing
    # dropped from the code (the library simply wins).
    assert CAL.is_provisional(2027)
    assert CAL.known_until(sh("2026-12-06T10:00")) == D("2027-01-01")
    assert CAL.known_until(D("2027-06-01")) == D("2027-01-01")  # this year already is
    # Entering the notice for 2027 (any override in the year) moves the horizon a year on.
    assert WorkingCalendar({D("2027-02-07"): True}).known_until(D("2026-12-06")) == D("2028-01-01")


# A hypothetical State Council notice for 2027, shaped like 2026's: every statutory holiday on a
# weekday and its substitute days off (the computation's days), plus bridging days 11 and 12
# February paid back by Saturday 20 February, a make-up workday.
NOTICE_2027 = {
    **{d: False for d in HAND_2027 if d.weekday() < 5},
    D("2027-02-11"): False,
    D("2027-02-12"): False,
    D("2027-02-20"): True,
}


def test_a_due_date_counted_on_a_provisional_year_says_how_to_count_it_again(
    unpublished_after_2026,
):
    provisional_cal, published = WorkingCalendar(), WorkingCalendar(NOTICE_2027)
    start = sh("2027-01-28T10:00")
    counted = provisional_cal.count(start, 10)
    assert counted.due == end_of("2027-02-17") and counted.provisional == "2027"
    assert counted.left is None
    # Still provisional under the same calendar: nothing to recount.
    assert not provisional_cal.published_since(counted.provisional)
    # The notice entered: the mark says to count again, and the count is no longer provisional.
    assert published.published_since(counted.provisional)
    again = published.count(start, 10)
    assert again.due == end_of("2027-02-19") and again.provisional is None
    # A due date counted on published years only has no mark and never needs counting again.
    assert published.count(sh("2026-03-02T10:00"), 10).provisional is None
    assert not published.published_since(None)


def test_a_mark_names_every_provisional_year_and_any_published_one_recounts(
    unpublished_after_2026,
):
    cal = WorkingCalendar(NOTICE_2027)
    counted = cal.count(sh("2027-12-20T10:00"), 20)
    assert counted.provisional == "2028"
    assert not cal.published_since("2028")
    assert cal.published_since("2027,2028")  # 2027 is declared now: count again


def test_a_paused_count_stops_the_clock_and_recounts_exactly(unpublished_after_2026):
    provisional_cal, published = WorkingCalendar(), WorkingCalendar(NOTICE_2027)
    start = sh("2027-01-20T10:00")  # Wednesday
    # Paused on Friday 22 January (2 working days used), resumed on Monday 1 March.
    paused, resumed = sh("2027-01-22T09:00"), sh("2027-03-01T09:00")
    open_pause = provisional_cal.count(start, 10, [(paused, None)])
    assert open_pause.left == 8 and open_pause.provisional == "2027"
    # As deadlines.resume counts: the working days left from the resume.
    done = provisional_cal.count(start, 10, [(paused, resumed)])
    assert done.due == provisional_cal.add_working_days(resumed, 8) and done.left is None
    assert published.count(start, 10, [(paused, resumed)]).due == published.add_working_days(
        resumed, 8
    )
    # A pause after the due date excuses nothing: the due date stands.
    late = published.count(start, 1, [(sh("2027-01-25T09:00"), resumed)])
    assert late.due == end_of("2027-01-21") and late.left is None


def test_a_single_override_in_an_unpublished_year_is_refused(tmp_path, unpublished_after_2026):
    """An override or two in a year nobody has published would make the kit treat the year as
    the operator's and drop its statutory holidays: the profile must give the whole notice."""
    data = load_profile("suining").model_dump()
    data["calendar_overrides"] = [{"date": D("2027-03-08"), "workday": False}]
    with pytest.raises(ValueError, match="2027") as exc:
        type(load_profile("suining")).model_validate(data)
    assert "2027-01-01" in str(exc.value) and "calendar_overrides" in str(exc.value)
    # The whole notice (every statutory holiday on a weekday listed) is accepted, and a local
    # extra day off may be added to it.
    data["calendar_overrides"] = [
        {"date": d, "workday": w} for d, w in {**NOTICE_2027, D("2027-03-08"): False}.items()
    ]
    cal = calendar_for(type(load_profile("suining")).model_validate(data))
    assert not cal.is_provisional(2027) and cal.is_workday(D("2027-01-01")) is False
    assert cal.is_workday(D("2027-02-20")) is True and cal.is_workday(D("2027-03-08")) is False
    # A spot change in a year the library knows needs nothing more.
    data["calendar_overrides"] = [{"date": D("2024-10-08"), "workday": False}]
    type(load_profile("suining")).model_validate(data)


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        ("2026-05-05", "2026-05-06"),  # 劳动节 (1-5 May 2026): the next working day
        ("2026-10-05", "2026-10-08"),  # 国庆 (1-7 October 2026)
        ("2027-07-31", "2027-08-02"),  # a Saturday (provisional 2027): weekends move it too
        ("2026-05-09", "2026-05-09"),  # a Saturday make-up workday (调休) does not move
        ("2026-05-06", "2026-05-06"),  # a working day stays
    ],
)
def test_a_last_day_on_a_rest_day_moves_to_the_next_working_day(day, rolled):
    """民法典 art 203: a period whose last day is a rest day ends on the next working day."""
    assert CAL.roll_to_workday(D(day)) == D(rolled)


def test_last_day_names_the_civil_code_and_the_provisional_calendar(unpublished_after_2026):
    assert CAL.last_day(D("2026-05-06")) == (D("2026-05-06"), None)
    day, note = CAL.last_day(D("2026-05-05"))
    assert day == D("2026-05-06") and "2026-05-06" in note and "民法典 art 203" in note
    assert "provisional" not in note
    day, note = CAL.last_day(D("2027-07-31"))
    assert day == D("2027-08-02") and "provisional calendar for 2027" in note
    # an aware datetime is judged on its Shanghai date (16:00 UTC on 4 May is 5 May in China)
    assert CAL.roll_to_workday(dt.datetime(2026, 5, 4, 16, tzinfo=UTC)) == D("2026-05-06")
    # a year no calendar covers: roll_to_workday refuses to guess, last_day keeps the day
    with pytest.raises(CalendarYearUnknown):
        CAL.roll_to_workday(D("1999-05-01"))
    day, note = CAL.last_day(D("1999-05-01"))
    assert day == D("1999-05-01") and "no holiday calendar for 1999" in note
