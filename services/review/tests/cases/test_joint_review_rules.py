"""D3, D4, D6 and D7 over the five profiles."""

import pytest

from govit_kit.policy import load_profile
from review.cases.enums import Capacity, ChainStep, Track
from review.cases.rules import (
    D4_ITEMS,
    chain_step,
    joint_review_complete,
    opinion_completeness,
)

ALL_D4 = {i.value for i in D4_ITEMS}


@pytest.mark.parametrize(
    ("profile", "capacity", "items", "outcome", "rule", "article"),
    [
        ("suining", Capacity.EXPERT, ALL_D4, "allow", "D4", "SN P art23(一)"),
        (
            "suining",
            Capacity.EXPERT,
            ALL_D4 - {"performance_goals"},
            "refuse",
            "D4",
            "SN P art23(一)",
        ),
        ("suining", Capacity.SECURITY, {"information_security"}, "allow", "D3", "SN P art23(二)"),
        ("suining", Capacity.SECURITY, {"technical_route"}, "refuse", "D3", "SN P art23(二)"),
        (
            "suining",
            Capacity.SECRECY,
            {"secure_and_reliable", "electronic_records"},
            "refuse",
            "D3",
            "SN P art23(二)",
        ),
        ("yunyang", Capacity.EXPERT, {"technical_route"}, "allow", "D4", ""),
        ("pingdingshan", Capacity.SECURITY, set(), "allow", "D3", ""),
    ],
)
def test_opinion_completeness(profile, capacity, items, outcome, rule, article):
    d = opinion_completeness(load_profile(profile), capacity, items)
    assert (d.outcome.value, d.rule_id, d.article) == (outcome, rule, article)


def test_missing_items_are_named():
    d = opinion_completeness(
        load_profile("suining"), Capacity.EXPERT, ALL_D4 - {"plan"} - {"performance_goals"}
    )
    assert d.figures["missing"] == ["performance_goals"]


@pytest.mark.parametrize(
    ("profile", "track", "capacities", "refused"),
    [
        ("suining", Track.TECHNICAL_REVIEW, set(), ["D3", "D3", "D3"]),
        ("suining", Track.TECHNICAL_REVIEW, {Capacity.EXPERT, Capacity.SECURITY}, ["D3"]),
        ("suining", Track.TECHNICAL_REVIEW, set(Capacity), []),
        ("suining", Track.FILING, set(), []),  # filing only (D2): no joint review
        ("yunyang", Track.TECHNICAL_REVIEW, {Capacity.SECURITY}, ["D6"]),
        ("yunyang", Track.TECHNICAL_REVIEW, {Capacity.EXPERT}, []),
        ("pingdingshan", Track.TECHNICAL_REVIEW, set(), []),
        ("xianyang", Track.TECHNICAL_REVIEW, set(), []),
    ],
)
def test_joint_review_complete(profile, track, capacities, refused):
    got = joint_review_complete(load_profile(profile), track, capacities)
    assert [d.rule_id for d in got] == refused
    assert all(d.article for d in got)


@pytest.mark.parametrize(
    ("profile", "step", "stage", "ok", "outcome", "article"),
    [
        ("wuhai", ChainStep.NDRC_APPROVAL, None, False, "refuse", "WH art12"),
        ("wuhai", ChainStep.NDRC_APPROVAL, "bureau_opinion", True, "allow", "WH art12"),
        ("yunyang", ChainStep.INVESTMENT_REVIEW, "bureau_opinion", False, "refuse", "YY art10"),
        ("yunyang", ChainStep.INVESTMENT_REVIEW, "ndrc_approval", True, "allow", "YY art10"),
        (
            "suining",
            ChainStep.NDRC_APPROVAL,
            "ndrc_approval",
            False,
            "refuse",
            "SN P art14, art15, art24",
        ),
        ("pingdingshan", ChainStep.NDRC_APPROVAL, "bureau_opinion", True, "allow", "PDS P art10"),
        # No D7 in xianyang: the order holds, but no rule is cited (a 409 in the API).
        ("xianyang", ChainStep.NDRC_APPROVAL, None, False, "allow", ""),
    ],
)
def test_chain_order(profile, step, stage, ok, outcome, article):
    got_ok, d = chain_step(load_profile(profile), step, stage)
    assert (got_ok, d.outcome.value, d.rule_id, d.article) == (ok, outcome, "D7", article)


def test_chain_order_reads_the_profiles_figure_on_the_bureau_opinion():
    """D7's `ndrc_needs_bureau_review` (wuhai: true) is read: a profile setting it false lets the
    NDRC approve before the bureau's opinion; true keeps the chain."""
    from govit_kit.policy import RuleEntry

    wh = load_profile("wuhai")
    ok, d = chain_step(wh, ChainStep.NDRC_APPROVAL, None)
    assert (ok, d.outcome.value, d.article) == (False, "refuse", "WH art12")
    entry = RuleEntry(applies=True, article="OP art12", figures={"ndrc_needs_bureau_review": False})
    op = wh.model_copy(update={"code": "OP", "rules": {**wh.rules, "D7": entry}})
    ok, d = chain_step(op, ChainStep.NDRC_APPROVAL, None)
    assert (ok, d.outcome.value, d.rule_id, d.article) == (True, "allow", "D7", "OP art12")
    # The investment review still follows the NDRC approval.
    ok, d = chain_step(op, ChainStep.INVESTMENT_REVIEW, None)
    assert (ok, d.outcome.value) == (False, "refuse")


@pytest.mark.parametrize("name", ["pingdingshan", "wuhai", "suining", "yunyang"])
def test_chain_order_reads_the_figure_positively(name):
    """Each profile applying D7 states `ndrc_needs_bureau_review` and the chain reads it: true
    keeps the order; a profile applying D7 without it is not read as "the chain is whole" by
    default (before, only an explicit false changed anything, and true was never read)."""
    from govit_kit.policy import MissingFigure, RuleEntry

    p = load_profile(name)
    assert p.figure("D7", "ndrc_needs_bureau_review") is True
    ok, d = chain_step(p, ChainStep.NDRC_APPROVAL, None)
    assert (ok, d.outcome.value) == (False, "refuse")
    bare = RuleEntry(applies=True, article="OP art12", figures={})
    op = p.model_copy(update={"code": "OP", "rules": {**p.rules, "D7": bare}})
    with pytest.raises(MissingFigure, match="ndrc_needs_bureau_review"):
        chain_step(op, ChainStep.NDRC_APPROVAL, None)
