"""B1 over the profiles: the demand deadline and yunyang's 50万 line."""

import datetime as dt
from decimal import Decimal

import pytest

from govit_kit.policy import load_profile
from intake.calls.enums import Listing
from intake.calls.rules import filing_decision, listing_of, profile_deadline


@pytest.mark.parametrize(
    ("profile", "deadline"),
    [
        ("pingdingshan", dt.date(2026, 7, 31)),  # PDS P art8: end of July of the year before
        ("yunyang", dt.date(2026, 9, 30)),  # YY art7: end of September
        ("suining", None),  # SN P art17: a yearly call, no date set
        ("wuhai", None),
    ],
)
def test_profile_deadline(profile, deadline):
    assert profile_deadline(load_profile(profile), 2027) == deadline


@pytest.mark.parametrize(
    ("filed_on", "outcome"),
    [(dt.date(2026, 7, 31), "allow"), (dt.date(2026, 8, 1), "refuse")],
)
def test_pingdingshan_demand_after_31_july_is_refused(filed_on, outcome):
    p = load_profile("pingdingshan")
    d = filing_decision(p, deadline=dt.date(2026, 7, 31), filed_on=filed_on, plan_year=2027)
    assert (d.rule_id, d.article, d.outcome) == ("B1", "PDS P art8", outcome)


@pytest.mark.parametrize(
    ("profile", "amount", "listing"),
    [
        ("yunyang", "500000.00", Listing.LISTED),  # 50万: listed (YY art7)
        ("yunyang", "499999.99", Listing.FILED),
        ("pingdingshan", "1.00", Listing.LISTED),
    ],
)
def test_listing(profile, amount, listing):
    got, decision = listing_of(load_profile(profile), Decimal(amount))
    assert got is listing and decision.rule_id == "B1"
