"""L2 over the profiles: a cloud request must name an approved project."""

import pytest

from cloud_broker.requests.rules import project_reference
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
