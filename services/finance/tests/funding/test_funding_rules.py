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


@pytest.mark.parametrize(
    ("profile", "closed", "outcome", "article"),
    [
        ("suining", False, Outcome.ALLOW, "SN P art14, art15, art24"),
        ("suining", True, Outcome.FLAG, "SN P art14, art15, art24"),
        ("yunyang", True, Outcome.FLAG, "YY art10"),
        ("xianyang", True, Outcome.ALLOW, ""),  # no D7 there: nothing to flag under it
    ],
)
def test_an_investment_review_cut_on_a_closed_line_is_flagged_not_booked(
    profile, closed, outcome, article
):
    import datetime as dt
    from decimal import Decimal

    from finance.funding.rules import investment_review

    d = investment_review(
        load_profile(profile),
        document_number="遂财投评〔2026〕8号",
        approved=Decimal("900000.00"),
        allocated=Decimal("1000000.00"),
        cut=Decimal("100000.00"),
        closed_on=dt.date(2026, 12, 31) if closed else None,
    )
    assert (d.rule_id, d.outcome, d.article) == ("D7", outcome, article)
    assert ("cut_not_booked" in d.figures) is closed
    assert d.figures["document_number"] == "遂财投评〔2026〕8号"
