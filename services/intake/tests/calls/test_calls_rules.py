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
    ("filed_on", "outcome"),
    [(dt.date(2027, 8, 2), "allow"), (dt.date(2027, 8, 3), "refuse")],
)
def test_pingdingshan_end_of_july_on_a_saturday_moves_to_monday(filed_on, outcome):
    """PDS P art8 (7月底前) with 民法典 art 203: 31 July 2027 is a Saturday, so a demand for 2028
    filed on Monday 2 August is in time; the decision cites B1 and its article and says the last
    day moved, keeping the announced deadline beside it."""
    p = load_profile("pingdingshan")
    deadline = profile_deadline(p, 2028)
    assert deadline == dt.date(2027, 7, 31)
    d = filing_decision(p, deadline=deadline, filed_on=filed_on, plan_year=2028)
    assert (d.rule_id, d.article, d.outcome.value) == ("B1", "PDS P art8", outcome)
    assert d.figures["deadline"] == deadline and d.figures["last_day"] == dt.date(2027, 8, 2)
    assert "2027-07-31 is a rest day" in d.reason and "民法典 art 203" in d.reason


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
