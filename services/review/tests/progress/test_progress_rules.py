"""F6 (YY art21): the yearly report's deadline is the end of the profile's month (12) in China
time: 31 December 23:59:59 is in time, 1 January 00:00 is late."""

from datetime import UTC, datetime

import pytest

from govit_kit.policy import SHANGHAI, load_profile
from review.progress.rules import late_years, overdue, recorded, report_deadline

YY = load_profile("yunyang")


def china(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_deadline_is_the_end_of_december_in_china():
    assert report_deadline(YY, 2026) == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert report_deadline(YY, 2026) == china(2027, 1, 1)


def test_a_year_end_on_a_rest_day_moves_to_the_next_working_day():
    """YY art21 (每年年底前) with 民法典 art 203: 31 December 2022 was a Saturday and 1-2 January
    2023 the New Year holiday, so the 2022 report was due by the end of Tuesday 3 January; the
    flag cites F6 and its article and says why the day moved."""
    assert report_deadline(YY, 2022) == china(2023, 1, 4)
    assert late_years(YY, first_year=2022, reported=set(), now=china(2023, 1, 3, 23)) == []
    assert late_years(YY, first_year=2022, reported=set(), now=china(2023, 1, 4)) == [2022]
    flag = overdue(YY, 2022)
    assert (flag.rule_id, flag.article) == ("F6", "YY art21")
    assert "2022-12-31 is a rest day" in flag.reason and "民法典 art 203" in flag.reason
    assert recorded(YY, 2022, at=china(2023, 1, 3, 9)).figures["late"] is False
    assert "民法典" not in overdue(YY, 2026).reason  # 31 December 2026: a Thursday


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (china(2026, 12, 31, 23, 59, 59), []),
        (china(2026, 12, 31, 23, 59, 59, 999999), []),
        (china(2027, 1, 1, 0, 0, 0), [2026]),
        (china(2028, 1, 1, 0, 0, 0), [2026, 2027]),
    ],
)
def test_late_years_at_the_edge(now, late):
    assert late_years(YY, first_year=2026, reported=set(), now=now) == late
    assert late_years(YY, first_year=2026, reported={2026}, now=now) == [
        y for y in late if y > 2026
    ]


def test_flag_and_record_cite_f6_and_its_article():
    flag = overdue(YY, 2026)
    assert (flag.rule_id, flag.article, flag.outcome.value) == ("F6", "YY art21", "flag")
    assert flag.figures["report_deadline_month"] == 12
    assert recorded(YY, 2026, at=china(2026, 12, 31, 23, 59, 59)).figures["late"] is False
    assert recorded(YY, 2026, at=china(2027, 1, 1)).figures["late"] is True


@pytest.mark.parametrize("name", ["suining", "pingdingshan", "xianyang", "wuhai"])
def test_no_f6_elsewhere(name):
    assert (
        late_years(load_profile(name), first_year=2020, reported=set(), now=china(2027, 1, 1)) == []
    )
