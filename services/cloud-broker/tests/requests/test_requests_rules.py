"""L2 over the profiles: a cloud request must name an approved project; L11's year."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cloud_broker.requests.rules import (
    exit_after_termination,
    l11_year,
    migration_impact,
    migration_notice,
    migration_ready,
    project_reference,
    project_suspended,
    project_terminated,
    terminated_reason,
    termination_ground,
)
from govit_kit.policy import Outcome, load_profile


@pytest.mark.parametrize(
    ("profile", "status", "outcome", "article"),
    [
        ("suining", None, Outcome.REFUSE, "SN C art11, art12"),
        ("suining", "submitted", Outcome.REFUSE, "SN C art11, art12"),
        ("suining", "approved", Outcome.ALLOW, "SN C art11, art12"),
        ("pingdingshan", None, Outcome.REFUSE, "PDS C art8"),
        ("pingdingshan", "rejected", Outcome.REFUSE, "PDS C art8"),
    ],
)
def test_project_reference(profile, status, outcome, article):
    decision = project_reference(load_profile(profile), status)
    assert decision.rule_id == "L2"
    assert (decision.outcome, decision.article) == (outcome, article)


@pytest.mark.parametrize("profile", ["wuhai", "yunyang", "xianyang"])
def test_no_cloud_regulation_no_l2_decision(profile):
    assert project_reference(load_profile(profile), None) is None


@pytest.mark.parametrize(
    ("at", "year"),
    [
        (datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC), 2026),  # 23:59:59 in China
        (datetime(2026, 12, 31, 16, tzinfo=UTC), 2027),  # midnight in China, 16:00 in UTC
        (datetime(2027, 1, 1, 7, 30, tzinfo=timezone(timedelta(hours=8))), 2027),
    ],
)
def test_l11_year_is_chinas(at, year):
    """L11's 本年度 is the year under way in China, whatever the instant's own zone."""
    assert l11_year(at) == year


@pytest.mark.parametrize(
    ("profile", "status", "article"),
    [
        ("suining", None, "SN C art11, art12"),
        ("suining", "submitted", "SN C art11, art12"),
        ("pingdingshan", None, "PDS C art8"),
    ],
)
def test_a_system_not_new_attaches_no_project_approval(profile, status, article):
    decision = project_reference(load_profile(profile), status, new_system=False)
    assert (decision.rule_id, decision.outcome, decision.article) == ("L2", Outcome.ALLOW, article)


@pytest.mark.parametrize("profile", ["pingdingshan", "wuhai", "yunyang", "xianyang"])
def test_l12_governs_nothing_where_it_does_not_apply(profile):
    """L12 is suining's only (SN C art12): elsewhere no impact is asked, no deploy is held."""
    p = load_profile(profile)
    assert migration_impact(p, False, None) is None
    assert migration_ready(p, "important", None, False) is None


@pytest.mark.parametrize(
    ("impact", "plan", "noticed", "outcome"),
    [
        ("important", None, False, Outcome.REFUSE),
        ("important", "submitted", True, Outcome.REFUSE),  # a notice is no plan
        ("important", "refused", False, Outcome.REFUSE),
        ("important", "approved", False, Outcome.ALLOW),
        ("ordinary", None, False, Outcome.REFUSE),
        ("ordinary", None, True, Outcome.ALLOW),
    ],
)
def test_l12_migration_ready_in_suining(impact, plan, noticed, outcome):
    d = migration_ready(load_profile("suining"), impact, plan, noticed)
    assert (d.rule_id, d.outcome) == ("L12", outcome)
    assert d.article == "SN C art12"


def test_l12_decides_nothing_on_a_new_systems_deploy():
    # A new system (or a request filed before the impact was asked for) migrates nothing.
    assert migration_ready(load_profile("suining"), None, None, False) is None


def test_l12_notice_comes_before_the_planned_start():
    p, now = load_profile("suining"), datetime(2026, 12, 6, 4, tzinfo=UTC)
    assert migration_notice(p, now, now + timedelta(seconds=1)).outcome is Outcome.ALLOW
    for start in (now, now - timedelta(minutes=1)):
        d = migration_notice(p, now, start)
        assert (d.outcome, d.article, d.figures["field"]) == (
            Outcome.REFUSE,
            "SN C art12",
            "planned_start",
        )


@pytest.mark.parametrize(
    ("profile", "article"),
    [("suining", "SN P art31"), ("yunyang", "YY art22"), ("pingdingshan", None)],
)
def test_f4_refuses_a_suspended_project_s_steps_where_it_applies(profile, article):
    """F4 (SN P art31, YY art22): while suspended, no request of the project moves on; where
    the profile has no F4 (pingdingshan) the flow refuses plainly, citing no rule."""
    d = project_suspended(load_profile(profile), "p-1", datetime(2026, 11, 2, 1, tzinfo=UTC))
    if article is None:
        assert d is None
        return
    assert (d.rule_id, d.outcome, d.article) == ("F4", Outcome.REFUSE, article)
    assert "since 2026-11-02" in d.reason


@pytest.mark.parametrize(
    ("profile", "article"),
    [
        ("suining", "SN P art31"),
        ("pingdingshan", "PDS P art17"),
        ("wuhai", None),
        ("yunyang", None),
        ("xianyang", None),
    ],
)
def test_f5_refuses_and_grounds_on_a_terminated_project_where_it_applies(profile, article):
    p, at = load_profile(profile), datetime(2026, 11, 2, 17, tzinfo=UTC)  # 3 Nov in China
    refused = project_terminated(p, "p-1", at)
    ground = termination_ground(p, "p-1", at, "withdrawn")
    assert terminated_reason("p-1", at) == "the project p-1 was terminated on 2026-11-03"
    if article is None:
        assert refused is None and ground is None
        return
    assert (refused.rule_id, refused.outcome, refused.article) == ("F5", Outcome.REFUSE, article)
    assert (ground.rule_id, ground.outcome, ground.article) == ("F5", Outcome.ALLOW, article)


@pytest.mark.parametrize(
    ("profile", "terminated", "due"),
    [
        # A month after the termination day in China (31 Jan: the month's last day).
        # 28 Feb 2026 is a Saturday, and a make-up workday (调休): it stands.
        ("suining", datetime(2026, 1, 31, 2, tzinfo=UTC), "2026-02-28"),
        ("suining", datetime(2026, 11, 2, 17, tzinfo=UTC), "2026-12-03"),  # 3 Nov in China
        ("suining", datetime(2026, 9, 1, 2, tzinfo=UTC), "2026-10-08"),  # off 国庆 (民法典 art 203)
        ("pingdingshan", datetime(2026, 11, 2, 2, tzinfo=UTC), None),  # L7 without months
        ("wuhai", datetime(2026, 11, 2, 2, tzinfo=UTC), None),  # no L7
    ],
)
def test_l7_exit_owed_within_its_months_of_the_termination(profile, terminated, due):
    d = exit_after_termination(load_profile(profile), "p-1", terminated)
    if due is None:
        assert d is None
        return
    assert (d.rule_id, d.outcome, d.article) == ("L7", Outcome.DEADLINE, "SN C art16")
    assert d.figures["due"].isoformat() == due
    assert "termination on" in d.reason and d.reason.count("F5 (SN P art31)") == 1
