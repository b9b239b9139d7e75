"""A3 over the profiles: an emergency addition to the annual plan, or none (WH art22)."""

import pytest

from govit_kit.policy import load_profile
from intake.library.rules import plan_item_refusals


def refusals(profile, **facts):
    facts = {
        "priority_type": "integration",
        "plan_adopted": False,
        "emergency": False,
        "document_reference": None,
    } | facts
    return [(d.rule_id, d.article) for d in plan_item_refusals(load_profile(profile), **facts)]


@pytest.mark.parametrize(
    ("profile", "article"), [("pingdingshan", "PDS P art8"), ("yunyang", "YY art9")]
)
def test_an_emergency_joins_the_adopted_plan_with_its_approving_document(profile, article):
    assert (
        refusals(profile, plan_adopted=True, emergency=True, document_reference="府办〔2026〕1号")
        == []
    )
    assert refusals(profile, plan_adopted=True, emergency=True) == [("A3", article)]
    assert refusals(profile, plan_adopted=True) == [("A3", article)]


@pytest.mark.parametrize("adopted", [False, True])
def test_wuhai_puts_no_emergency_project_on_a_plan(adopted):
    """WH art22 (紧急项目,不适用本办法): an emergency project is outside the measures, so the
    platform puts it on no plan, with or without an approving document."""
    for document in (None, "乌海府发〔2026〕1号"):
        got = plan_item_refusals(
            load_profile("wuhai"),
            priority_type=None,
            plan_adopted=adopted,
            emergency=True,
            document_reference=document,
        )
        assert [(d.rule_id, d.article) for d in got] == [("A3", "WH art22")]
        assert "不适用本办法" in got[0].reason
        assert got[0].figures == {"emergency_projects": "outside_measures"}
    # An ordinary project joins a draft plan; WH names no emergency route after adoption, so
    # the flow refuses that addition on its own (409), not citing A3.
    assert refusals("wuhai", priority_type=None) == []
    assert refusals("wuhai", priority_type=None, plan_adopted=True) == []
