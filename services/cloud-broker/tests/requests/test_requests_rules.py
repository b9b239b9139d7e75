"""L2 over the profiles: a cloud request must name an approved project; L11's year."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cloud_broker.requests.rules import l11_year, project_reference
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
