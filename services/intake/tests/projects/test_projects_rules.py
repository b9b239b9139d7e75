"""Which materials an application must carry, per profile, type and amount (C1, C3, C7)."""

from decimal import Decimal

import pytest

from govit_kit.policy import load_profile
from govit_kit.policy.profile import RuleEntry
from intake.orgs.enums import FundingGround as G
from intake.projects.enums import MaterialKind as K
from intake.projects.enums import ProjectType as T
from intake.projects.rules import (
    ground_decisions,
    grounds_bar,
    missing_form_fields,
    missing_materials,
    only_recorded,
    rectification_decisions,
    required_materials,
)

YY_C3 = [
    K.DATA_GOVERNANCE,
    K.DATA_SHARING_ANALYSIS,
    K.NETWORK_SECURITY,
    K.CRYPTO_PLAN,
    K.INTENSIVE_CONSTRUCTION,
]
SN_C3 = [
    K.CURRENT_IT_STATUS,
    K.NO_DUPLICATION_STATEMENT,
    K.SYSTEM_INTEGRATION,
    K.CLOUD_AND_DATA_STATUS,
    K.PROBLEM_AND_RESULT,
]


@pytest.mark.parametrize(
    ("profile", "ptype", "expected"),
    [
        ("yunyang", T.NEW, [(K.FEASIBILITY_STUDY, "C1"), (K.BUDGET_DETAIL, "C1")]
         + [(k, "C3") for k in YY_C3]),
        ("yunyang", T.EXPANSION, [(K.FEASIBILITY_STUDY, "C1"), (K.BUDGET_DETAIL, "C1")]
         + [(k, "C3") for k in YY_C3] + [(K.PREDECESSOR_EVALUATION, "C3")]),
        ("yunyang", T.SERVICE_PURCHASE, [(K.FEASIBILITY_STUDY, "C1"), (K.BUDGET_DETAIL, "C1")]
         + [(k, "C3") for k in YY_C3]),  # C7 is suining's
        ("suining", T.NEW, [(k, "C3") for k in SN_C3]),
        ("suining", T.EXPANSION, [(k, "C3") for k in SN_C3]),  # no evaluation in SN P art15
        ("suining", T.SERVICE_PURCHASE, [(k, "C3") for k in SN_C3]
         + [(K.SERVICE_PURCHASE_CONDITIONS, "C7")]),
        ("pingdingshan", T.NEW,
         [(K.PROJECT_PROPOSAL, "C3"), (K.FEASIBILITY_STUDY, "C3"), (K.IMPLEMENTATION_PLAN, "C3")]),
        ("wuhai", T.NEW, []),
        ("xianyang", T.EXPANSION, []),
    ],
)  # fmt: skip
def test_required_materials(profile, ptype, expected):
    for amount in ("1.00", "300000.00", "50000000.00"):
        assert required_materials(load_profile(profile), ptype, Decimal(amount)) == expected


def test_yunyang_expansion_without_evaluation_names_c3_and_its_article():
    profile = load_profile("yunyang")
    present = {k.value for k in YY_C3} | {"feasibility_study", "budget_detail"}
    [refusal] = missing_materials(profile, T.EXPANSION, Decimal("800000"), present)
    assert (refusal.rule_id, refusal.article, refusal.outcome) == ("C3", "YY art14", "refuse")
    assert refusal.figures == {"kind": "predecessor_evaluation"}


def test_c1_form_fields_only_where_the_form_applies():
    empty = {"name": "x", "project_type": "new", "total_investment": Decimal(1)}
    refusals = missing_form_fields(load_profile("pingdingshan"), empty)
    assert {d.figures["field"] for d in refusals} >= {"leader_phone", "basis_documents"}
    assert all((d.rule_id, d.article) == ("C1", "PDS P art9") for d in refusals)
    assert missing_form_fields(load_profile("suining"), empty) == []


@pytest.mark.parametrize(
    ("profile", "needs_justification"),
    [("suining", True), ("pingdingshan", True), ("wuhai", True), ("yunyang", False)],
)
def test_a1_off_the_government_cloud_needs_a_written_justification(profile, needs_justification):
    kinds = required_materials(load_profile(profile), T.NEW, Decimal(1), cloud_exception=True)
    assert ((K.CLOUD_EXCEPTION_JUSTIFICATION, "A1") in kinds) is needs_justification
    plain = required_materials(load_profile(profile), T.NEW, Decimal(1))
    assert (K.CLOUD_EXCEPTION_JUSTIFICATION, "A1") not in plain


def test_b6_upper_level_funded_projects_are_filed_without_local_chapters():
    pds = load_profile("pingdingshan")
    assert required_materials(pds, T.NEW, Decimal(1), upper_level_funded=True) == []
    # Suining has no B6: an upper-level funded project is approved as any other.
    sn = load_profile("suining")
    assert required_materials(sn, T.NEW, Decimal(1), upper_level_funded=True) == [
        (k, "C3") for k in SN_C3
    ]


@pytest.mark.parametrize(
    ("profile", "recorded"),
    [("pingdingshan", True), ("wuhai", True), ("suining", True), ("yunyang", True),
     ("xianyang", False)],
)  # fmt: skip
def test_a2_only_recorded_where_the_profile_has_it(profile, recorded):
    # XY art14 keeps classified projects inside the measures: an ordinary application there.
    assert only_recorded(load_profile(profile), True) is recorded
    assert only_recorded(load_profile(profile), False) is False


def test_a1_asks_no_justification_of_a_classified_project():
    # A1 is cloud first for non-classified systems (XY art8, art14).
    xy = load_profile("xianyang")
    assert required_materials(xy, T.NEW, Decimal(1), cloud_exception=True, classified=True) == []
    assert required_materials(xy, T.NEW, Decimal(1), cloud_exception=True) == [
        (K.CLOUD_EXCEPTION_JUSTIFICATION, "A1")
    ]


@pytest.mark.parametrize(
    ("profile", "bars"),
    [("yunyang", True), ("pingdingshan", False), ("wuhai", False), ("suining", False),
     ("xianyang", False)],
)  # fmt: skip
def test_i3_grounds_bar_new_projects_only_where_the_profile_says(profile, bars):
    p = load_profile(profile)
    assert grounds_bar(p) is bars
    refusals = ground_decisions(p, T.NEW, [(G.COLLECTS_TWICE.value, "p1", "doc")])
    assert [(d.rule_id, d.outcome) for d in refusals] == ([("I3", "refuse")] if bars else [])


@pytest.mark.parametrize(
    ("ground", "barred", "article"),
    [
        # YY art28 (and art29): 不得新建、改扩建政务信息系统.
        (G.NOT_SHARING_DATA, {T.NEW, T.EXPANSION}, "YY art28"),
        (G.COLLECTS_TWICE, {T.NEW, T.EXPANSION}, "YY art28"),
        # YY art30: 不支持新建信息化项目.
        (G.NOT_INTEGRATED, {T.NEW}, "YY art30"),
    ],
)
def test_i3_each_ground_bars_the_types_its_article_names(ground, barred, article):
    yy = load_profile("yunyang")
    project = None if ground is G.NOT_INTEGRATED else "p1"
    for project_type in T:
        refusals = ground_decisions(yy, project_type, [(ground.value, project, "")])
        assert bool(refusals) is (project_type in barred), project_type
        for d in refusals:
            assert (d.rule_id, d.article) == ("I3", "YY art25, art28, art29, art30")
            assert d.figures["ground_article"] == article and d.reason.startswith(article)


def test_i3_an_operator_profile_bars_only_with_the_figure_and_cites_its_own_article():
    yy = load_profile("yunyang")
    entry = RuleEntry(applies=True, article="OP art9", figures={})
    without = yy.model_copy(update={"code": "OP", "rules": {**yy.rules, "I3": entry}})
    grounds = [(G.NOT_INTEGRATED.value, None, "")]
    assert not grounds_bar(without) and ground_decisions(without, T.NEW, grounds) == []
    entry = RuleEntry(applies=True, article="OP art9", figures={"bars_new_projects": True})
    op = yy.model_copy(update={"code": "OP", "rules": {**yy.rules, "I3": entry}})
    (d,) = ground_decisions(op, T.NEW, grounds)
    assert d.article == "OP art9" and d.figures["ground_article"] == "OP art9"


@pytest.mark.parametrize(
    ("profile", "article", "barred"),
    [
        # SN P art43: 不得新建信息化项目; YY art29: 不得新建、改扩建政务信息系统.
        ("suining", "SN P art43", {T.NEW}),
        ("yunyang", "YY art29", {T.NEW, T.EXPANSION}),
    ],
)
def test_j3_bars_the_project_types_its_article_names(profile, article, barred):
    p = load_profile(profile)
    for project_type in T:
        refusals = rectification_decisions(p, project_type, ["密码应用不符合要求"])
        if project_type in barred:
            [d] = refusals
            assert (d.rule_id, d.article, d.outcome.value) == ("J3", article, "refuse")
            assert d.figures["project_type"] == project_type.value
        else:
            # 续建, 运维, 购买服务 go through: the unit may need one to rectify.
            assert refusals == [], project_type
    assert rectification_decisions(p, T.NEW, []) == []
    # Where J3 does not apply, nothing is barred.
    assert rectification_decisions(load_profile("wuhai"), T.NEW, ["x"]) == []


def _copy(tmp_path, builtin: str, code: str, edit=None):
    """A built-in profile copied as an operator's, under another code and name."""
    from importlib import resources

    import yaml

    text = resources.files("govit_kit.policy").joinpath("profiles", f"{builtin}.yaml")
    data = yaml.safe_load(text.read_text(encoding="utf-8")) | {"code": code, "name": code.lower()}
    if edit:
        edit(data["rules"])
    path = tmp_path / f"{code.lower()}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_profile(str(path))


@pytest.mark.parametrize("builtin", ["yunyang", "suining", "pingdingshan"])
def test_a_profile_copied_under_another_code_keeps_its_own_lists(tmp_path, builtin):
    """C1's attachments, C3's chapters (and an expansion's) and I3's ground articles are the
    profile's figures, not lists keyed by the built-in's code: a copy under another code asks
    exactly what the original does (before, a copy of suining got yunyang's chapters and an
    evaluation of the earlier project, a copy of yunyang lost its C1 attachments and its ground
    articles)."""
    original, copy = load_profile(builtin), _copy(tmp_path, builtin, "OPX")
    assert copy.code == "OPX"
    for ptype in T:
        assert required_materials(copy, ptype, Decimal(1)) == required_materials(
            original, ptype, Decimal(1)
        ), ptype
    grounds = [(g.value, "p1", "doc") for g in G]
    assert [d.figures for d in ground_decisions(copy, T.NEW, grounds)] == [
        d.figures for d in ground_decisions(original, T.NEW, grounds)
    ]


def test_an_operators_own_lists_are_read(tmp_path):
    """An operator's profile asks what it lists, whatever its code."""

    def edit(rules):
        rules["C1"]["figures"]["attachments"] = ["budget_detail"]
        rules["C3"]["figures"]["chapters"] = ["feasibility_study", "crypto_plan"]
        rules["C3"]["figures"]["expansion_chapters"] = []
        rules["I3"]["figures"]["not_integrated_article"] = "OP art7"

    op = _copy(tmp_path, "yunyang", "OP", edit)
    assert required_materials(op, T.EXPANSION, Decimal(1)) == [
        (K.BUDGET_DETAIL, "C1"),
        (K.FEASIBILITY_STUDY, "C3"),
        (K.CRYPTO_PLAN, "C3"),
    ]
    [d] = ground_decisions(op, T.NEW, [(G.NOT_INTEGRATED.value, None, "")])
    assert d.figures["ground_article"] == "OP art7" and d.reason.startswith("OP art7:")


def test_intakes_material_kinds_are_the_kits():
    """C1's attachments and C3's chapters are checked against the kit's list: the same values."""
    from govit_kit.policy import MATERIAL_KINDS

    assert {k.value for k in K} == MATERIAL_KINDS
