"""D2 over the five profiles: which track a project's review takes, and the article cited."""

from decimal import Decimal

import pytest

from govit_kit.policy import load_profile
from review.cases.enums import Track
from review.cases.rules import review_track


@pytest.mark.parametrize(
    ("profile", "amount", "track", "rule", "article"),
    [
        ("suining", "300000.00", Track.TECHNICAL_REVIEW, "D2", "SN P art22"),
        ("suining", "299999.99", Track.FILING, "D2", "SN P art22"),
        ("yunyang", "1.00", Track.TECHNICAL_REVIEW, "D2", "YY art10"),
        ("pingdingshan", "1.00", Track.TECHNICAL_REVIEW, "D1", "PDS P art9"),
        ("wuhai", "1.00", Track.TECHNICAL_REVIEW, "D1", "WH art11, art12"),
        ("xianyang", "1.00", Track.TECHNICAL_REVIEW, "D2", ""),
    ],
)
def test_review_track(profile, amount, track, rule, article):
    got, decision = review_track(load_profile(profile), Decimal(amount))
    assert got is track
    assert (decision.rule_id, decision.article) == (rule, article)
