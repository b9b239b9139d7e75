"""Rules of the request lifecycle over the profiles, at their edges; figures from the profiles."""

import datetime as dt

import pytest

from cloud_broker.requests import rules
from govit_kit.policy import Outcome, RuleNotApplicable, calendar_for, load_profile

SN, PDS = load_profile("suining"), load_profile("pingdingshan")
NO_CLOUD = [load_profile(p) for p in ("wuhai", "yunyang", "xianyang")]


def at(y, m, d, h=10):
    """10:00 Shanghai on a day, as UTC."""
    return dt.datetime(y, m, d, h - 8, tzinfo=dt.UTC)


def local_day(value: dt.datetime) -> dt.date:
    return (value + dt.timedelta(hours=8)).date()


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        # Fri 26 Sep 2025: Sun 28 Sep is a make-up workday (调休), so it counts.
        (at(2025, 9, 26), dt.date(2025, 9, 29)),
        # Tue 30 Sep 2025: 1-8 Oct is the National Day holiday, skipped.
        (at(2025, 9, 30), dt.date(2025, 10, 10)),
        # An ordinary Monday.
        (at(2026, 11, 23), dt.date(2026, 11, 25)),
    ],
)
def test_sn_approval_due_in_working_days(accepted, due):
    d = rules.working_days_due(
        SN, calendar_for(SN), "L4", "approval_working_days", accepted, "approval"
    )
    assert SN.figure("L4", "approval_working_days") == 2
    assert (d.rule_id, d.article, d.outcome) == ("L4", "SN C art11", Outcome.DEADLINE)
    assert local_day(d.figures["due"]) == due


def test_sn_deployment_and_change_deadlines():
    cal = calendar_for(SN)
    deploy = rules.working_days_due(SN, cal, "L4", "deployment_working_days", at(2025, 9, 26), "x")
    # 10 working days from Fri 26 Sep 2025: 28, 29, 30 Sep, then 9, 10, 11 (make-up), 13-16 Oct.
    assert local_day(deploy.figures["due"]) == dt.date(2025, 10, 16)
    change = rules.working_days_due(SN, cal, "L6", "approval_working_days", at(2026, 11, 23), "x")
    assert (change.rule_id, change.article) == ("L6", "SN C art15")
    assert local_day(change.figures["due"]) == dt.date(2026, 11, 30)
    assert "calendar" not in change.figures


def test_a_deadline_into_a_provisional_year_says_so():
    cal = calendar_for(SN)
    d = rules.working_days_due(SN, cal, "L6", "approval_working_days", at(2026, 12, 29), "x")
    # 30, 31 Dec, then 4, 5, 6 Jan: 1 January 2027 is a statutory holiday on the provisional table.
    assert local_day(d.figures["due"]) == dt.date(2027, 1, 6)
    assert "provisional calendar for 2027" in d.figures["calendar"]


@pytest.mark.parametrize("profile", [PDS, *NO_CLOUD])
def test_no_figure_no_deadline(profile):
    cal = calendar_for(profile)
    assert (
        rules.working_days_due(profile, cal, "L4", "approval_working_days", at(2026, 1, 5), "x")
        is None
    )
    assert (
        rules.working_days_due(profile, cal, "L6", "approval_working_days", at(2026, 1, 5), "x")
        is None
    )
    assert rules.transition_due(profile, dt.date(2026, 1, 5)) is None


@pytest.mark.parametrize(
    ("stopped", "applied", "outcome"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), Outcome.ALLOW),  # the last day of the month
        (dt.date(2026, 1, 31), dt.date(2026, 3, 1), Outcome.FLAG),
        (dt.date(2026, 3, 10), dt.date(2026, 4, 10), Outcome.ALLOW),
        (dt.date(2026, 3, 10), dt.date(2026, 4, 11), Outcome.FLAG),
    ],
)
def test_sn_exit_application_within_a_month(stopped, applied, outcome):
    d = rules.exit_application(SN, stopped, applied)
    assert SN.figure("L7", "apply_within_months") == 1
    assert (d.rule_id, d.article, d.outcome) == ("L7", "SN C art16", outcome)


def test_pds_exit_has_no_deadline_and_sn_transition_is_three_months():
    assert (
        rules.exit_application(PDS, dt.date(2020, 1, 1), dt.date(2026, 1, 1)).outcome
        is Outcome.ALLOW
    )
    # Three months after 30 November 2026 is Sunday 28 February 2027: the transition ends on
    # Monday 1 March (民法典 art 203), and the decision says so.
    t = rules.transition_due(SN, dt.date(2026, 11, 30))
    assert t.figures["due"] == dt.date(2027, 3, 1) and t.article == "SN C art16"
    assert "2027-02-28 is a rest day" in t.reason and "民法典 art 203" in t.reason
    t = rules.transition_due(SN, dt.date(2026, 3, 31))  # 30 June 2026: a Tuesday, it stays
    assert t.figures["due"] == dt.date(2026, 6, 30) and "民法典" not in t.reason


@pytest.mark.parametrize(
    ("stopped", "applied", "outcome"),
    [
        # A month after 5 April 2026 is 5 May, inside 劳动节 (1-5 May): the last day is 6 May.
        (dt.date(2026, 4, 5), dt.date(2026, 5, 6), Outcome.ALLOW),
        (dt.date(2026, 4, 5), dt.date(2026, 5, 7), Outcome.FLAG),
        # 3 October 2026 is inside 国庆 (1-7 October): the last day is Thursday 8 October.
        (dt.date(2026, 9, 3), dt.date(2026, 10, 8), Outcome.ALLOW),
        (dt.date(2026, 9, 3), dt.date(2026, 10, 9), Outcome.FLAG),
    ],
)
def test_sn_exit_application_last_day_moves_off_a_rest_day(stopped, applied, outcome):
    """L7 (SN C art16: 停止使用后一个月内) with 民法典 art 203: a period's last day on a rest day
    ends on the next working day; the decision cites L7 and says why the day moved."""
    d = rules.exit_application(SN, stopped, applied)
    assert (d.rule_id, d.article, d.outcome) == ("L7", "SN C art16", outcome)
    assert "民法典 art 203" in d.reason
    assert d.figures["due"] == (dt.date(2026, 5, 6) if stopped.month == 4 else dt.date(2026, 10, 8))


@pytest.mark.parametrize(("profile", "count"), [(SN, 11), (PDS, 8)])
def test_required_materials(profile, count):
    assert len(rules.required_materials(profile)) == count
    d = rules.materials_complete(profile, {})
    assert d.outcome is Outcome.REFUSE and d.rule_id == "L2" and len(d.figures["missing"]) == count


@pytest.mark.parametrize("profile", NO_CLOUD)
def test_no_cloud_regulation_no_materials(profile):
    assert rules.required_materials(profile) == {}
    assert rules.materials_complete(profile, {}) is None


def test_l3_changes_and_exits_from_the_profile():
    """PDS C art13 has a county unit's changes and exits reviewed by its county first (the
    figure says so); SN C art15-16 send them to the bureau; no cloud regulation, no county."""
    assert PDS.figure("L3", "county_reviews_changes_and_exits") is True
    assert SN.figure("L3", "county_reviews_changes_and_exits") is False
    assert rules.county_reviews_changes_and_exits(PDS)
    assert not rules.county_reviews_changes_and_exits(SN)
    d = rules.county_first_operation(PDS, True, False, "change")
    assert (d.outcome, d.rule_id, d.article) == (Outcome.REFUSE, "L3", "PDS C art8, art13")
    assert rules.county_first_operation(PDS, True, True, "exit").outcome is Outcome.ALLOW
    assert rules.county_first_operation(PDS, False, False, "exit").outcome is Outcome.ALLOW
    assert rules.county_first_operation(SN, True, False, "change").outcome is Outcome.ALLOW
    for profile in NO_CLOUD:
        assert not rules.county_reviews_changes_and_exits(profile)
        assert rules.county_first_operation(profile, True, False, "exit").outcome is Outcome.ALLOW


def test_l3_l8_l11_edges():
    assert rules.county_first(SN, True, False).outcome is Outcome.REFUSE
    assert rules.county_first(SN, True, True).outcome is Outcome.ALLOW
    assert rules.county_first(SN, False, False).outcome is Outcome.ALLOW
    assert rules.county_first(PDS, True, False).article == "PDS C art8, art13"
    assert rules.dedicated_plan(SN, "dedicated", False).outcome is Outcome.REFUSE
    assert rules.dedicated_plan(SN, "general", False).outcome is Outcome.ALLOW
    # PDS has no 专享 rule (L8 does not apply): no refusal can rest on it.
    assert rules.dedicated_plan(PDS, "dedicated", False).outcome is Outcome.ALLOW
    assert rules.unit_marked(SN, 2026, 2026).outcome is Outcome.REFUSE
    assert rules.unit_marked(SN, 2025, 2026).outcome is Outcome.ALLOW
    assert rules.unit_marked(PDS, 2026, 2026).outcome is Outcome.ALLOW  # no L11 in PDS
    with pytest.raises(RuleNotApplicable):
        from govit_kit.policy import Decision

        Decision.refuse(PDS, "L11", "x")


@pytest.mark.parametrize(
    ("committed", "requested", "outcome"), [(8, 2, Outcome.ALLOW), (8, 3, Outcome.REFUSE)]
)
def test_quota_edge(committed, requested, outcome):
    d = rules.quota(SN, "unit org-a", "ecs.vcpu", 10, committed, requested)
    assert (d.rule_id, d.article, d.outcome) == ("L5", "SN C art13", outcome)
