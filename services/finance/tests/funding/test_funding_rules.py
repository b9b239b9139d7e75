"""Funds follow the review: the rule each profile cites when a funding line opens."""

import pytest

from finance.funding.rules import funding_after_approval
from govit_kit.policy import Outcome, load_profile


@pytest.mark.parametrize(
    ("profile", "rule", "article"),
    [
        ("suining", "D7", "SN P art14, art15, art24"),
        ("pingdingshan", "D7", "PDS P art10"),
        ("yunyang", "D7", "YY art10"),
        ("wuhai", "I1", "WH art12"),
        ("xianyang", "I1", "XY art7"),
    ],
)
def test_funding_after_approval(profile, rule, article):
    decision = funding_after_approval(load_profile(profile))
    assert (decision.rule_id, decision.article, decision.outcome) == (rule, article, Outcome.ALLOW)
