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
    ("moved", "route"),
    [("150000.00", ChangeRoute.SELF_DECIDED), ("150000.01", ChangeRoute.APPROVAL)],
)
def test_yunyang_f1_share_is_not_rounded_up_before_comparing(moved, route):
    """F1 (YY art24, 不超过15%): 15% of 1000000.05 is 150000.0075 exactly; rounded half-even to
    150000.01 it let the unit decide an adjustment over the share. The share is compared
    unrounded; the cap shown is rounded down to the fen."""
    got, [d] = adjustment_route(
        load_profile("yunyang"),
        approved_total=Decimal("1000000.05"),
        new_total=Decimal("1000000.05"),
        amount_adjusted=Decimal(moved),
        reason=AdjustmentReason.PLAN_OPTIMISATION,
    )
    assert (got, d.rule_id, d.article) == (route, "F1", "YY art24")
    assert d.figures["cap"] == Decimal("150000.00")


@pytest.mark.parametrize(
    ("profile", "route", "rule", "article"),
    [
        ("suining", ChangeRoute.APPROVAL, "F2", "SN P art30"),
        ("pingdingshan", ChangeRoute.FILING, "F3", "PDS P art17"),
        # XY art15: 须报市政务信息办核准备案, the bureau approves, it does not merely file.
        ("xianyang", ChangeRoute.BUREAU_APPROVAL, "F3", "XY art15"),
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


MAJOR, DELAY, END = ChangeKind.MAJOR_CHANGE, ChangeKind.DELAY, ChangeKind.TERMINATION
APPROVAL, FILING = ChangeRoute.APPROVAL, ChangeRoute.FILING


@pytest.mark.parametrize(
    ("profile", "kind", "route", "rule", "article"),
    [
        # PDS P art17: a major change or late delivery is filed (报…备案); a termination follows
        # the law and is filed with the bureau, NDRC, finance and audit: no approver named.
        ("pingdingshan", MAJOR, FILING, "F3", "PDS P art17"),
        ("pingdingshan", DELAY, FILING, "F3", "PDS P art17"),
        ("pingdingshan", END, FILING, "F5", "PDS P art17"),
        # SN P art30 (重大调整): the bureau's opinion, then the approver; art31: a serious delay
        # is reported to the bureau (F4); termination by the bureau's opinion and the approver.
        ("suining", MAJOR, APPROVAL, "F2", "SN P art30"),
        ("suining", DELAY, FILING, "F4", "SN P art31"),
        ("suining", END, APPROVAL, "F5", "SN P art31"),
        # XY art15: 核准备案 for a major adjustment; nothing on delays or termination.
        ("xianyang", MAJOR, ChangeRoute.BUREAU_APPROVAL, "F3", "XY art15"),
        ("xianyang", DELAY, APPROVAL, "F4", ""),
        ("xianyang", END, APPROVAL, "F5", ""),
        # YY art24: beyond the unit's own band, back through approval; art22: a serious delay
        # is reported (F4); nothing on termination.
        ("yunyang", MAJOR, APPROVAL, "F1", "YY art24"),
        ("yunyang", DELAY, FILING, "F4", "YY art22"),
        ("yunyang", END, APPROVAL, "F5", ""),
        # Wuhai's draft says nothing of changes: the approver decides.
        ("wuhai", MAJOR, APPROVAL, "F3", ""),
        ("wuhai", DELAY, APPROVAL, "F4", ""),
        ("wuhai", END, APPROVAL, "F5", ""),
    ],
)
def test_change_route(profile, kind, route, rule, article):
    p = load_profile(profile)
    got, [d] = change_route(p, kind)
    assert (got, d.rule_id, d.article, d.outcome.value) == (route, rule, article, "allow")
    # A cited article is the rule's own in this profile; none only where the rule does not apply,
    # and then the decision says so rather than describing a procedure the profile lacks.
    assert p.applies(rule) == bool(article)
    if not article:
        assert d.reason.startswith("no ") and d.reason.endswith("the approver decides"), d.reason
