"""F1-F5 over the profiles: the route of a change, at the edges of yunyang's 15%."""

from decimal import Decimal

import pytest

from govit_kit.policy import load_profile
from review.changes.enums import AdjustmentReason, ChangeKind, ChangeRoute
from review.changes.rules import adjustment_route, change_route

TOTAL = Decimal("1000000.00")


@pytest.mark.parametrize(
    ("moved", "new_total", "reason", "route", "outcome"),
    [
        ("150000.00", TOTAL, "plan_optimisation", ChangeRoute.SELF_DECIDED, "allow"),  # 15%
        ("150100.00", TOTAL, "plan_optimisation", ChangeRoute.APPROVAL, "flag"),  # 15.01%
        ("150000.01", TOTAL, "superior_arrangement", ChangeRoute.APPROVAL, "flag"),
        ("0.00", TOTAL, "business_development", ChangeRoute.SELF_DECIDED, "allow"),
        ("10000.00", Decimal("1000000.01"), "plan_optimisation", ChangeRoute.APPROVAL, "flag"),
        # YY art24 asks only that the total not increase (不增加项目总投资): a reduction within
        # the share, for an F1 reason, is the unit's; the reduction counts as moved money.
        ("10000.00", Decimal("990000.00"), "plan_optimisation", ChangeRoute.SELF_DECIDED, "allow"),
        ("0.00", Decimal("850000.00"), "plan_optimisation", ChangeRoute.SELF_DECIDED, "allow"),
        ("0.00", Decimal("849999.99"), "plan_optimisation", ChangeRoute.APPROVAL, "flag"),
        ("10000.00", Decimal("990000.00"), "other", ChangeRoute.APPROVAL, "flag"),
        ("10000.00", TOTAL, "other", ChangeRoute.APPROVAL, "flag"),
    ],
)
def test_yunyang_f1_edges(moved, new_total, reason, route, outcome):
    got, [d] = adjustment_route(
        load_profile("yunyang"),
        approved_total=TOTAL,
        new_total=new_total,
        amount_adjusted=Decimal(moved),
        reason=AdjustmentReason(reason),
    )
    assert (got, d.rule_id, d.article, d.outcome.value) == (route, "F1", "YY art24", outcome)
    assert d.figures["cap"] == Decimal("150000.00")


@pytest.mark.parametrize(
    ("profile", "route", "rule", "article"),
    [
        ("suining", ChangeRoute.APPROVAL, "F2", "SN P art30"),
        ("pingdingshan", ChangeRoute.FILING, "F3", "PDS P art17"),
        ("xianyang", ChangeRoute.FILING, "F3", "XY art15"),
        ("wuhai", ChangeRoute.APPROVAL, "F2", ""),
    ],
)
def test_adjustment_route_elsewhere(profile, route, rule, article):
    # Even a tiny adjustment: only yunyang lets the unit decide it (F1).
    got, [d] = adjustment_route(
        load_profile(profile),
        approved_total=TOTAL,
        new_total=TOTAL,
        amount_adjusted=Decimal("1.00"),
        reason=AdjustmentReason.PLAN_OPTIMISATION,
    )
    assert (got, d.rule_id, d.article) == (route, rule, article)


@pytest.mark.parametrize(
    ("profile", "kind", "route", "rule", "article"),
    [
        ("suining", ChangeKind.TERMINATION, ChangeRoute.APPROVAL, "F5", "SN P art31"),
        ("pingdingshan", ChangeKind.TERMINATION, ChangeRoute.APPROVAL, "F5", "PDS P art17"),
        ("pingdingshan", ChangeKind.DELAY, ChangeRoute.FILING, "F3", "PDS P art17"),
        ("xianyang", ChangeKind.MAJOR_CHANGE, ChangeRoute.FILING, "F3", "XY art15"),
    ],
)
def test_change_route(profile, kind, route, rule, article):
    got, [d] = change_route(load_profile(profile), kind)
    assert (got, d.rule_id, d.article) == (route, rule, article)
