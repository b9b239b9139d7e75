"""Policy profiles and decisions, table-driven over the five built-in jurisdictions."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources

import pytest
import yaml

from govit_kit.policy import (
    RULE_IDS,
    Decision,
    MissingFigure,
    Outcome,
    PolicyProfile,
    ProfileInvalid,
    RuleNotApplicable,
    RuleViolation,
    UnknownProfile,
    UnknownRule,
    builtin_profiles,
    calendar_for,
    load_profile,
)

PROFILES = {
    "pingdingshan": "PDS",
    "wuhai": "WH",
    "suining": "SN",
    "yunyang": "YY",
    "xianyang": "XY",
}

# Who each rule applies to, copied from RULES.md's source column (independent of the YAML files).
APPLIES = {
    "A1": "PDS WH SN XY",
    "A2": "PDS WH SN YY",
    "A3": "PDS SN YY WH",
    "B1": "PDS YY SN WH",
    "B2": "PDS YY SN",
    "B3": "SN",
    "B4": "SN",
    "B5": "YY",
    "B6": "PDS WH",
    "C1": "YY PDS",
    "C2": "YY WH",
    "C3": "YY SN PDS",
    "C4": "SN",
    "C5": "YY SN",
    "C6": "SN PDS",
    "C7": "SN",
    "D1": "PDS WH",
    "D2": "SN YY",
    "D3": "SN",
    "D4": "SN",
    "D5": "SN",
    "D6": "YY",
    "D7": "PDS WH YY SN",
    "D8": "SN",
    "E1": "PDS WH SN YY XY",
    "E2": "XY YY",
    "E3": "SN",
    "E4": "SN XY",
    "E5": "SN",
    "E6": "SN YY",
    "E7": "XY",
    "F1": "YY",
    "F2": "SN",
    "F3": "PDS XY",
    "F4": "SN YY",
    "F5": "SN PDS",
    "F6": "YY",
    "G1": "SN XY PDS",
    "G2": "SN",
    "G3": "YY",
    "G4": "YY",
    "G5": "SN YY",
    "G6": "XY YY",
    "G7": "PDS XY SN",
    "H1": "PDS SN YY XY",
    "H2": "PDS SN YY XY",
    "I1": "XY WH",
    "I2": "PDS YY",
    "I3": "YY",
    "I4": "WH",
    "I5": "SN YY",
    "I6": "SN",
    "J1": "SN YY",
    "J2": "WH",
    "J3": "SN YY",
    "J4": "PDS SN YY",
    "K1": "SN",
    "K2": "SN",
    "K3": "SN",
    "K4": "SN",
    "K5": "SN",
    "K6": "SN",
    "L1": "PDS SN",
    "L2": "PDS SN",
    "L3": "PDS SN",
    "L4": "SN",
    "L5": "PDS SN",
    "L6": "PDS SN",
    "L7": "SN PDS",
    "L8": "SN",
    "L9": "SN",
    "L10": "PDS SN",
    "L11": "SN",
    "L12": "SN",
    "L13": "PDS SN",
    "L14": "PDS",
    "L15": "PDS",
    "L16": "PDS SN",
    "L17": "SN",
    "L18": "SN PDS",
    "L19": "SN",
}

# (profile, rule, figure, value) as read from the seed articles; the type is checked too.
FIGURES = [
    ("pingdingshan", "B1", "demand_deadline_month", 7),
    ("yunyang", "B1", "demand_deadline_month", 9),
    ("yunyang", "B1", "individual_listing_threshold_wan", Decimal(50)),
    ("yunyang", "B5", "rolling_plan_years", 3),
    ("suining", "D2", "review_threshold_wan", Decimal(30)),
    ("yunyang", "D2", "review_threshold_wan", Decimal(0)),
    # D7: the NDRC approves only after the bureau's opinion (WH art12: 不予立项 without it; PDS P
    # art10: the first-review opinion goes to the NDRC; SN, YY run the chain in order).
    ("wuhai", "D7", "ndrc_needs_bureau_review", True),
    ("pingdingshan", "D7", "ndrc_needs_bureau_review", True),
    ("suining", "D7", "ndrc_needs_bureau_review", True),
    ("yunyang", "D7", "ndrc_needs_bureau_review", True),
    ("xianyang", "E1", "tender_above_wan", Decimal(100)),
    ("xianyang", "E1", "measured_on", "project_investment"),
    # C2: YY art14 (审批的必备条件) and art10 (项目申报 with the catalog), every project the
    # measures cover (YY art2: construction and O&M alike); WH art15: 新建 projects only, before
    # acceptance (项目验收前).
    ("yunyang", "C2", "required_from", "submission"),
    (
        "yunyang",
        "C2",
        "project_types",
        ("new", "continued", "expansion", "operations", "service_purchase"),
    ),
    ("wuhai", "C2", "required_from", "acceptance"),
    ("wuhai", "C2", "project_types", ("new",)),
    # C1's attachments (YY annex 1: 申报时应附材料; PDS's form asks none) and C3's chapters as
    # each article lists them (YY art14, SN P art15, PDS P art9), an expansion's besides.
    ("yunyang", "C1", "attachments", ("feasibility_study", "budget_detail")),
    ("pingdingshan", "C1", "attachments", ()),
    (
        "yunyang",
        "C3",
        "chapters",
        (
            "data_governance",
            "data_sharing_analysis",
            "network_security",
            "crypto_plan",
            "intensive_construction",
        ),
    ),
    ("yunyang", "C3", "expansion_chapters", ("predecessor_evaluation",)),
    (
        "suining",
        "C3",
        "chapters",
        (
            "current_it_status",
            "no_duplication_statement",
            "system_integration",
            "cloud_and_data_status",
            "problem_and_result",
        ),
    ),
    ("suining", "C3", "expansion_chapters", ()),
    (
        "pingdingshan",
        "C3",
        "chapters",
        ("project_proposal", "feasibility_study", "implementation_plan"),
    ),
    ("pingdingshan", "C3", "expansion_chapters", ()),
    # I3: the article of each ground barring new projects (YY art28, art30).
    ("yunyang", "I3", "not_sharing_data_article", "YY art28"),
    ("yunyang", "I3", "collects_twice_article", "YY art28"),
    ("yunyang", "I3", "not_integrated_article", "YY art30"),
    # A3: WH art22 puts emergency projects outside the measures (不适用本办法); elsewhere they
    # bypass the plan with the government's approval and then join it.
    ("wuhai", "A3", "emergency_projects", "outside_measures"),
    ("pingdingshan", "A3", "emergency_projects", "plan_addition"),
    ("suining", "A3", "emergency_projects", "plan_addition"),
    ("yunyang", "A3", "emergency_projects", "plan_addition"),
    ("yunyang", "E2", "blacklist_years", 5),
    ("suining", "E3", "supplementary_cap_ratio", Decimal("0.10")),
    ("suining", "E4", "free_om_min_years", 1),
    ("xianyang", "E4", "warranty_min_years", 3),
    ("suining", "E6", "supervision_threshold_wan", Decimal(400)),
    ("yunyang", "E6", "supervision_threshold_wan", Decimal(0)),
    # SN P art29 原则上: the data bureau may exempt in writing; YY art20 应当, every project.
    ("suining", "E6", "exemption_allowed", True),
    ("yunyang", "E6", "exemption_allowed", False),
    ("xianyang", "E7", "major_project_threshold_wan", Decimal(100)),
    ("yunyang", "F1", "self_adjust_max_ratio", Decimal("0.15")),
    ("pingdingshan", "F3", "covers_late_delivery", True),
    ("pingdingshan", "F3", "bureau_approves", False),
    ("xianyang", "F3", "covers_late_delivery", False),
    ("xianyang", "F3", "bureau_approves", True),
    ("pingdingshan", "F5", "approver_decides", False),
    ("suining", "F5", "approver_decides", True),
    ("yunyang", "F6", "report_deadline_month", 12),
    ("suining", "G1", "trial_run_min_months", 1),
    ("xianyang", "G1", "trial_run_min_months", 3),
    ("pingdingshan", "G1", "stable_run_before_final_acceptance_months", 6),
    ("yunyang", "G3", "bureau_acceptance_threshold_wan", Decimal(500)),
    ("yunyang", "G3", "apply_within_months", 6),
    ("pingdingshan", "H1", "final_acceptance_to_report_months", 12),
    ("suining", "H1", "go_live_to_report_months", 12),
    ("yunyang", "H1", "acceptance_to_report_min_months", 12),
    ("yunyang", "H1", "acceptance_to_report_max_months", 24),
    ("yunyang", "I3", "bars_new_projects", True),
    ("xianyang", "H1", "operation_before_evaluation_years", 1),
    ("suining", "K5", "seasonal_idle_over_months", 4),
    ("suining", "L4", "approval_working_days", 2),
    ("suining", "L4", "deployment_working_days", 10),
    ("suining", "L6", "approval_working_days", 5),
    ("suining", "L7", "apply_within_months", 1),
    ("suining", "L7", "transition_months", 3),
    ("suining", "L11", "monitoring_interval_months", 1),
    ("suining", "L11", "stable_run_before_monitoring_months", 3),
    ("suining", "L11", "low_cpu_avg_below_percent", 10),
    ("suining", "L11", "low_memory_avg_below_percent", 30),
    ("suining", "L11", "low_storage_below_percent", 40),
    ("suining", "L11", "low_storage_alt_below_percent", 60),
    ("suining", "L11", "low_storage_alt_free_above_tb", 1),
    ("suining", "L11", "high_cpu_avg_above_percent", 60),
    ("suining", "L11", "high_memory_avg_above_percent", 80),
    ("suining", "L11", "high_storage_at_least_percent", 80),
    ("suining", "L11", "high_storage_free_below_tb", 1),
    ("pingdingshan", "L13", "report_due_day_of_month", 5),
    ("pingdingshan", "L13", "report_interval_months", 1),
    ("suining", "L13", "report_interval_months", 1),
    ("pingdingshan", "L14", "advance_filing_working_days", 3),
    ("pingdingshan", "L15", "min_drills_per_year", 2),
    ("suining", "L17", "log_retention_min_years", 1),
    ("suining", "L18", "provider_assessment_interval_months", 3),
]


def _builtin_data(name: str) -> dict:
    """A built-in profile's raw YAML data, to derive an operator's profile from."""
    text = (
        resources.files("govit_kit.policy")
        .joinpath("profiles", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    return yaml.safe_load(text)


def _write(tmp_path, data: dict) -> str:
    path = tmp_path / "sixth.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_rule_ids_are_those_of_rules_md():
    assert len(RULE_IDS) == 81 and len(set(RULE_IDS)) == 81
    assert set(RULE_IDS) == set(APPLIES)
    assert RULE_IDS[:3] == ("A1", "A2", "A3") and RULE_IDS[-1] == "L19"


def test_builtin_profile_names():
    assert builtin_profiles() == list(PROFILES)


@pytest.mark.parametrize(("name", "code"), PROFILES.items())
def test_builtin_profile_loads(name, code):
    profile = load_profile(name)
    assert isinstance(profile, PolicyProfile)
    assert (profile.name, profile.code, profile.timezone) == (name, code, "Asia/Shanghai")
    assert list(profile.rules) == list(RULE_IDS)
    assert profile.seed and profile.documents and profile.calendar_overrides == []


@pytest.mark.parametrize(("name", "code"), PROFILES.items())
def test_load_by_code_and_any_case(name, code):
    assert (
        load_profile(code)
        == load_profile(name.upper())
        == load_profile(code.lower())
        == load_profile(name)
    )


@pytest.mark.parametrize(("name", "code"), PROFILES.items())
def test_applicability_matches_rules_md(name, code):
    profile = load_profile(name)
    applying = {r for r in RULE_IDS if profile.applies(r)}
    assert applying == {r for r, who in APPLIES.items() if code in who.split()}


@pytest.mark.parametrize(("name", "code"), PROFILES.items())
def test_articles_are_this_jurisdictions(name, code):
    # An applying rule cites its own jurisdiction's articles; a non-applying one cites none.
    for rule_id, entry in load_profile(name).rules.items():
        if entry.applies:
            assert all(
                part.startswith(f"{code} ") and ("art" in part or "annex" in part)
                for part in entry.article.split("; ")
            ), (rule_id, entry.article)
        else:
            assert entry.article is None, rule_id


def test_unknown_profile_lists_builtins():
    with pytest.raises(UnknownProfile) as exc:
        load_profile("chengdu")
    for name, code in PROFILES.items():
        assert name in str(exc.value) and code in str(exc.value)
    with pytest.raises(UnknownProfile):
        load_profile("/nonexistent/profile.yaml")


@pytest.mark.parametrize(("name", "rule_id", "figure", "value"), FIGURES)
def test_figures(name, rule_id, figure, value):
    got = load_profile(name).figure(rule_id, figure)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    ("name", "stage", "project_type", "required"),
    [
        # YY art14: the catalog is a condition of approval, so it is asked from submission on
        # (and again before acceptance), of every project type.
        ("yunyang", "submission", "new", True),
        ("yunyang", "submission", "operations", True),
        ("yunyang", "acceptance", "expansion", True),
        # WH art15: 新建 projects, before acceptance (项目验收前), not at submission.
        ("wuhai", "submission", "new", False),
        ("wuhai", "acceptance", "new", True),
        ("wuhai", "acceptance", "expansion", False),
        ("wuhai", "acceptance", "operations", False),
        # No C2 in the others.
        ("suining", "submission", "new", False),
        ("xianyang", "acceptance", "new", False),
    ],
)
def test_required_at_reads_the_rules_stage_and_project_types(name, stage, project_type, required):
    assert load_profile(name).required_at("C2", stage, project_type) is required


def test_required_at_refuses_an_unknown_stage():
    with pytest.raises(ValueError):
        load_profile("wuhai").required_at("C2", "approval", "new")


def test_missing_figure_names_profile_rule_and_figure():
    with pytest.raises(MissingFigure) as exc:
        load_profile("xianyang").figure("D2", "review_threshold_wan")
    assert all(s in str(exc.value) for s in ("xianyang", "D2", "review_threshold_wan"))


def test_unknown_rule_is_not_a_key_error():
    profile = load_profile("suining")
    for call in (
        lambda: profile.rule("Z9"),
        lambda: profile.applies("Z9"),
        lambda: profile.figure("Z9", "x_days"),
    ):
        with pytest.raises(UnknownRule) as exc:
            call()
        assert not isinstance(exc.value, KeyError) and "Z9" in str(exc.value)


def test_operator_profile_from_path(tmp_path):
    data = _builtin_data("suining") | {"code": "XX", "name": "sixth"}
    data["rules"]["D2"]["figures"]["review_threshold_wan"] = "50.5"
    data["calendar_overrides"] = [{"date": dt.date(2024, 10, 8), "workday": False, "note": "local"}]
    profile = load_profile(_write(tmp_path, data))
    assert profile.code == "XX" and profile.figure("D2", "review_threshold_wan") == Decimal("50.5")
    assert calendar_for(profile).is_workday(dt.date(2024, 10, 8)) is False


def _drop(rules, rule_id):
    del rules[rule_id]


def _set(rules, rule_id, **kw):
    rules[rule_id].update(kw)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _drop(d["rules"], "L11"), "L11"),
        (
            lambda d: d["rules"].__setitem__(
                "Z9", {"applies": False, "article": None, "figures": {}}
            ),
            "Z9",
        ),
        (lambda d: _set(d["rules"], "D2", article=None), "article"),
        (lambda d: _set(d["rules"], "E3", figures={"supplementary_cap_ratio": 0.1}), "float"),
        (
            lambda d: _set(d["rules"], "E3", figures={"supplementary_cap_ratio": "1.5"}),
            "out of range",
        ),
        (lambda d: _set(d["rules"], "D2", figures={"review_threshold": 30}), "unit suffix"),
        (lambda d: _set(d["rules"], "L4", figures={"approval_working_days": "two"}), "integer"),
        (lambda d: _set(d["rules"], "E1", figures={"measured_on": "contract"}), "one of"),
        (lambda d: _set(d["rules"], "E1", figures={"measured_on": True}), "one of"),
        (lambda d: _set(d["rules"], "C2", figures={"required_from": "approval"}), "one of"),
        (
            lambda d: _set(d["rules"], "C2", figures={"project_types": ["new", "rebuilt"]}),
            "rebuilt",
        ),
        (lambda d: _set(d["rules"], "C2", figures={"project_types": "new"}), "list"),
        (lambda d: _set(d["rules"], "C2", figures={"project_types": []}), "list"),
        (lambda d: _set(d["rules"], "C2", figures={"project_types": ["new", "new"]}), "twice"),
        (lambda d: d["rules"]["C3"]["figures"].update(chapters=["novel"]), "'novel'"),
        (lambda d: d["rules"]["C3"]["figures"].update(chapters=[]), "non-empty list"),
        (lambda d: d["rules"]["C3"]["figures"].update(expansion_chapters="x"), "a list"),
        (
            lambda d: d["rules"]["C3"]["figures"].update(chapters=["crypto_plan", "crypto_plan"]),
            "twice",
        ),
        (lambda d: _set(d["rules"], "I3", figures={"not_integrated_article": ""}), "article"),
        (lambda d: _set(d["rules"], "I3", figures={"not_integrated_article": 30}), "article"),
        (lambda d: d.__setitem__("timezone", "UTC"), "timezone"),
        (
            lambda d: d.__setitem__(
                "calendar_overrides", [{"date": "2027-01-01", "workday": False}] * 2
            ),
            "twice",
        ),
    ],
)
def test_invalid_profile_fails_validation(tmp_path, mutate, message):
    data = _builtin_data("suining")
    mutate(data)
    with pytest.raises(ProfileInvalid) as exc:
        load_profile(_write(tmp_path, data))
    assert message in str(exc.value) and "sixth.yaml" in str(exc.value)


def test_refuse_takes_article_from_profile():
    sn, yy = load_profile("suining"), load_profile("yunyang")
    a = Decision.refuse(sn, "D2", "no technical review", total_wan=Decimal(45))
    b = Decision.refuse(yy, "D2", "no technical review", total_wan=Decimal(45))
    assert (a.article, b.article) == ("SN P art22", "YY art10")
    assert a.outcome is b.outcome is Outcome.REFUSE and a.figures == {"total_wan": Decimal(45)}


@pytest.mark.parametrize("name", PROFILES)
@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_applying_rule_decides_with_its_article(name, outcome):
    profile = load_profile(name)
    helper = getattr(Decision, outcome.value)
    for rule_id in RULE_IDS:
        if profile.applies(rule_id):
            d = helper(profile, rule_id, "why")
            assert (d.rule_id, d.article, d.outcome) == (
                rule_id,
                profile.rule(rule_id).article,
                outcome,
            )


def test_non_applying_rule_only_allows():
    xy = load_profile("xianyang")
    with pytest.raises(RuleNotApplicable, match="D2"):
        Decision.refuse(xy, "D2", "x")
    assert Decision.allow(xy, "D2", "D2 does not apply in XY").article == ""
    with pytest.raises(UnknownRule):
        Decision.flag(xy, "Q1", "x")


def test_decision_to_dict_is_json():
    due = dt.datetime(2024, 9, 30, 15, 59, 59, 999999, tzinfo=dt.UTC)
    d = Decision.deadline(
        load_profile("SN"), "L4", "deploy", due=due, total_wan=Decimal("12.50"), days=[2, 10]
    )
    out = json.loads(json.dumps(d.to_dict()))
    assert out == {
        "rule_id": "L4",
        "article": "SN C art11",
        "outcome": "deadline",
        "reason": "deploy",
        "figures": {
            "due": "2024-09-30T15:59:59.999999+00:00",
            "total_wan": "12.50",
            "days": [2, 10],
        },
    }


def test_decision_is_frozen():
    d = Decision.allow(load_profile("SN"), "A1", "on the cloud")
    with pytest.raises(AttributeError):
        d.reason = "changed"


def test_rule_violation_lists_each_refusal():
    sn = load_profile("suining")
    err = RuleViolation(
        [Decision.refuse(sn, "D2", "no review"), Decision.refuse(sn, "E3", "over 10%")]
    )
    assert str(err) == "D2 (SN P art22): no review; E3 (SN P art30): over 10%"
    assert [d.rule_id for d in err.decisions] == ["D2", "E3"]
    with pytest.raises(ValueError):
        RuleViolation([Decision.allow(sn, "D2", "fine")])
    with pytest.raises(ValueError):
        RuleViolation([])


@pytest.mark.parametrize("name", list(PROFILES))
def test_a_copy_of_each_builtin_loads_as_an_operators_profile(tmp_path, name):
    assert load_profile(_write(tmp_path, _builtin_data(name))).code == PROFILES[name]


@pytest.mark.parametrize(
    ("base", "mutate", "missing"),
    [
        # A figure every built-in applying the rule defines (suining is the one applying L11).
        (
            "suining",
            lambda d: d["rules"]["L11"]["figures"].pop("low_cpu_avg_below_percent"),
            "L11.low_cpu_avg_below_percent",
        ),
        # A reading both pingdingshan and suining state (true in one, false in the other).
        (
            "pingdingshan",
            lambda d: d["rules"]["L3"]["figures"].pop("county_reviews_changes_and_exits"),
            "L3.county_reviews_changes_and_exits",
        ),
        # A figure's companion: xianyang's tender line is read with where it is measured.
        ("xianyang", lambda d: d["rules"]["E1"]["figures"].pop("measured_on"), "E1.measured_on"),
        # C2: when the catalog falls due and for which project types (yunyang and wuhai).
        ("wuhai", lambda d: d["rules"]["C2"]["figures"].pop("required_from"), "C2.required_from"),
        ("yunyang", lambda d: d["rules"]["C2"]["figures"].pop("project_types"), "C2.project_types"),
        # D7's reading of the chain: every built-in applying D7 states it.
        (
            "suining",
            lambda d: d["rules"]["D7"]["figures"].pop("ndrc_needs_bureau_review"),
            "D7.ndrc_needs_bureau_review",
        ),
        # C1's attachments, C3's chapters: each built-in applying the rule lists them.
        ("suining", lambda d: d["rules"]["C3"]["figures"].pop("chapters"), "C3.chapters"),
        (
            "pingdingshan",
            lambda d: d["rules"]["C3"]["figures"].pop("expansion_chapters"),
            "C3.expansion_chapters",
        ),
        (
            "pingdingshan",
            lambda d: d["rules"]["C1"]["figures"].pop("attachments"),
            "C1.attachments",
        ),
        (
            "yunyang",
            lambda d: d["rules"]["I3"]["figures"].pop("not_integrated_article"),
            "I3.not_integrated_article",
        ),
        (
            "suining",
            lambda d: _set(d["rules"], "E1", figures={"tender_above_wan": 100}),
            "E1.measured_on",
        ),
    ],
)
def test_an_operators_profile_missing_a_figure_is_refused_at_load(tmp_path, base, mutate, missing):
    data = _builtin_data(base)
    mutate(data)
    with pytest.raises(ProfileInvalid) as exc:
        load_profile(_write(tmp_path, data))
    assert missing in str(exc.value) and "sixth.yaml" in str(exc.value)


def _l13_day(day):
    return lambda d: _set(
        d["rules"], "L13", figures={"report_interval_months": 1, "report_due_day_of_month": day}
    )


def _l18_interval(months):
    return lambda d: _set(
        d["rules"], "L18", figures={"provider_assessment_interval_months": months}
    )


@pytest.mark.parametrize(
    ("base", "mutate", "figure", "allowed"),
    [
        # The scheduler and the filing take the day in every month: 0 is none, 29-31 are not in
        # February (they raised ValueError there: a 500 and a failing scheduler round).
        ("pingdingshan", _l13_day(0), "L13.report_due_day_of_month=0", "1 to 28"),
        ("pingdingshan", _l13_day(29), "L13.report_due_day_of_month=29", "1 to 28"),
        ("suining", _l13_day(31), "L13.report_due_day_of_month=31", "1 to 28"),
        ("pingdingshan", _l13_day(True), "L13.report_due_day_of_month=True", "1 to 28"),
        # Finance tiles the year into 12 / interval assessment periods (L18): 5 does not divide
        # 12 (it raised ValueError at request time), 0 makes no period.
        ("suining", _l18_interval(5), "L18.provider_assessment_interval_months=5", "divisor of 12"),
        ("suining", _l18_interval(0), "L18.provider_assessment_interval_months=0", "divisor of 12"),
        ("suining", _l18_interval(24), "L18.provider_assessment_interval_months=24", "1, 2, 3"),
    ],
)
def test_a_figure_out_of_its_range_is_refused_at_load(tmp_path, base, mutate, figure, allowed):
    data = _builtin_data(base)
    mutate(data)
    with pytest.raises(ProfileInvalid) as exc:
        load_profile(_write(tmp_path, data))
    assert figure in str(exc.value) and allowed in str(exc.value), str(exc.value)
    assert "sixth.yaml" in str(exc.value)


@pytest.mark.parametrize(
    ("mutate", "rule_id", "figure", "value"),
    [
        (_l13_day(1), "L13", "report_due_day_of_month", 1),
        (_l13_day(28), "L13", "report_due_day_of_month", 28),
        (_l18_interval(1), "L18", "provider_assessment_interval_months", 1),
        (_l18_interval(6), "L18", "provider_assessment_interval_months", 6),
        (_l18_interval(12), "L18", "provider_assessment_interval_months", 12),
    ],
)
def test_a_figure_at_the_edge_of_its_range_loads(tmp_path, mutate, rule_id, figure, value):
    data = _builtin_data("suining")
    mutate(data)
    assert load_profile(_write(tmp_path, data)).figure(rule_id, figure) == value


def test_a_rule_switched_off_needs_none_of_its_figures(tmp_path):
    data = _builtin_data("suining")
    _set(data["rules"], "L11", applies=False, article=None, figures={})
    profile = load_profile(_write(tmp_path, data))
    assert not profile.applies("L11")


@pytest.mark.parametrize(
    ("name", "cited"),
    [
        ("suining", "text (B3 (SN P art16, art17); B2 (SN P art17))"),
        ("yunyang", "text (B2 (YY art7))"),  # no B3 in yunyang: not cited
        ("wuhai", "text"),  # neither applies: no rule id, no empty article
        ("xianyang", "text"),
    ],
)
def test_cite_names_only_the_rules_the_profile_applies(name, cited):
    assert load_profile(name).cite("text", "B3", "B2") == cited


@pytest.mark.parametrize("name", list(PROFILES))
def test_invalid_input_by_rule_carries_the_applying_rules_decisions(name):
    from govit_kit.errors import InvalidInput

    profile = load_profile(name)
    err = InvalidInput.by_rule(profile, "items.0.sku", "not offered", "L8", sku="S1")
    assert err.extensions["errors"] == [{"field": "items.0.sku", "message": err.detail}]
    if profile.applies("L8"):
        assert err.detail == f"not offered (L8 ({profile.rule('L8').article}))"
        [d] = err.extensions["decisions"]
        assert (d["rule_id"], d["article"], d["outcome"]) == (
            "L8",
            profile.rule("L8").article,
            "refuse",
        )
        assert d["figures"] == {"field": "items.0.sku", "sku": "S1"}
    else:
        assert err.detail == "not offered" and "decisions" not in err.extensions


def test_an_article_longer_than_the_narrowest_column_is_refused_at_load(tmp_path):
    """Articles are stored in String(200) columns: a longer one stops the profile at load,
    naming the rule, instead of failing a decision's write later (before: no limit)."""
    from govit_kit.policy.profile import ARTICLE_MAX_CHARS

    data = _builtin_data("suining")
    _set(data["rules"], "K5", article="SN P art" + "4" * (ARTICLE_MAX_CHARS - 8))
    assert load_profile(_write(tmp_path, data)).rule("K5").article.endswith("4")  # 200 fits
    _set(data["rules"], "K5", article="SN P art" + "4" * (ARTICLE_MAX_CHARS - 7))
    with pytest.raises(ProfileInvalid) as exc:
        load_profile(_write(tmp_path, data))
    assert "K5.article is 201 characters long" in str(exc.value), str(exc.value)
    assert "at most 200" in str(exc.value)
    data = _builtin_data("yunyang")
    data["rules"]["I3"]["figures"]["not_integrated_article"] = "Y" * (ARTICLE_MAX_CHARS + 1)
    with pytest.raises(ProfileInvalid) as exc:
        load_profile(_write(tmp_path, data))
    assert "not_integrated_article is 201 characters long" in str(exc.value)
