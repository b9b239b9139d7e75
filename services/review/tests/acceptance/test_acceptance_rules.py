"""G1, G3, G4, C2 and H1 over the profiles, at the edges of each figure."""

from datetime import date
from decimal import Decimal

import pytest

from govit_kit.policy import Decision, load_profile
from review.acceptance.enums import Material, Stage
from review.acceptance.rules import (
    G5_ITEMS,
    AcceptanceFacts,
    acceptance,
    evaluation_window,
    om_eligibility,
    trial_run,
)

ALL = frozenset(m.value for m in Material)


def facts(**kw):
    base = {
        "stage": Stage.SINGLE,
        "accepted_on": date(2026, 6, 1),
        "total_investment": Decimal("1000000.00"),
    }
    return AcceptanceFacts(**(base | kw))


@pytest.mark.parametrize(
    ("profile", "kw", "outcome", "article"),
    [
        # suining: at least 1 month of trial run.
        (
            "suining",
            {"trial_run_started_on": date(2026, 1, 15), "accepted_on": date(2026, 2, 14)},
            "refuse",
            "SN P art32",
        ),
        (
            "suining",
            {"trial_run_started_on": date(2026, 1, 15), "accepted_on": date(2026, 2, 15)},
            "allow",
            "SN P art32",
        ),
        ("suining", {}, "refuse", "SN P art32"),  # no trial run stated
        # xianyang: 3 months of trial data (31 Jan + 3 months = 30 Apr).
        (
            "xianyang",
            {"trial_run_started_on": date(2026, 1, 31), "accepted_on": date(2026, 4, 29)},
            "refuse",
            "XY art18",
        ),
        (
            "xianyang",
            {"trial_run_started_on": date(2026, 1, 31), "accepted_on": date(2026, 4, 30)},
            "allow",
            "XY art18",
        ),
        # pingdingshan: initial, then 6 stable months, then final.
        ("pingdingshan", {"stage": Stage.INITIAL}, "allow", "PDS P art18"),
        ("pingdingshan", {"stage": Stage.SINGLE}, "refuse", "PDS P art18"),
        ("pingdingshan", {"stage": Stage.FINAL}, "refuse", "PDS P art18"),
        (
            "pingdingshan",
            {
                "stage": Stage.FINAL,
                "initial_accepted_on": date(2026, 1, 10),
                "accepted_on": date(2026, 7, 9),
            },
            "refuse",
            "PDS P art18",
        ),
        (
            "pingdingshan",
            {
                "stage": Stage.FINAL,
                "initial_accepted_on": date(2026, 1, 10),
                "accepted_on": date(2026, 7, 10),
            },
            "allow",
            "PDS P art18",
        ),
        ("yunyang", {}, "allow", ""),
    ],
)
def test_g1_trial_run(profile, kw, outcome, article):
    d = trial_run(load_profile(profile), facts(**kw))
    assert (d.rule_id, d.outcome.value, d.article) == ("G1", outcome, article)


def yy_base() -> dict:
    return {
        "completed_on": date(2026, 1, 31),
        "accepted_on": date(2026, 7, 31),
        "materials": ALL,
        "archives_accepted": True,
        "data_catalog_complete": True,
        "checked": frozenset(G5_ITEMS),
        "total_investment": Decimal("5000000.00"),
    }


def yy(**kw):
    base = yy_base()
    return [
        (d.rule_id, d.outcome.value)
        for d in acceptance(load_profile("yunyang"), facts(**(base | kw)))
        if d.outcome.value == "refuse"
    ]


def test_yunyang_materials_timing_archives_and_catalog():
    assert yy() == []  # 500万 with every material, on the last day of the half year
    assert yy(accepted_on=date(2026, 8, 1)) == [("G3", "refuse")]
    assert yy(accepted_on=date(2026, 8, 1), extension_approved=True) == []
    assert yy(materials=ALL - {"crypto_assessment"}) == [("G3", "refuse")]
    # Below 500万 the unit organises the acceptance and files the result, but the materials
    # are the same as at or above (YY art25: 验收材料要求与总投资在500万元(含)以上项目一致).
    small = Decimal("4999999.99")
    assert yy(total_investment=small, materials=frozenset()) == [("G3", "refuse")]
    assert yy(total_investment=small, materials=ALL - {"data_dictionary"}) == [("G3", "refuse")]
    assert yy(total_investment=small) == []
    assert yy(archives_accepted=False) == [("G4", "refuse")]
    assert yy(data_catalog_complete=False) == [("C2", "refuse")]
    # Intake's own C2 refusals, when it gave them, stand in for the generic one.
    intakes = Decision.refuse(load_profile("yunyang"), "C2", "the catalog is incomplete: row 1")
    got = acceptance(
        load_profile("yunyang"),
        facts(**(yy_base() | {"data_catalog_complete": False, "catalog_refusals": (intakes,)})),
    )
    assert [d for d in got if d.rule_id == "C2"] == [intakes]
    assert yy(checked=frozenset(G5_ITEMS[:2])) == [("G5", "refuse")]
    got = acceptance(
        load_profile("yunyang"),
        facts(
            completed_on=date(2026, 1, 31),
            materials=ALL - {"audit_report"},
            total_investment=Decimal("5000000.00"),
            archives_accepted=True,
            data_catalog_complete=True,
        ),
    )
    [g3] = [d for d in got if d.rule_id == "G3"]
    assert g3.article == "YY art25" and g3.figures["missing"] == ["audit_report"]


@pytest.mark.parametrize(
    ("profile", "accepted", "live", "earliest", "due", "article"),
    [
        ("pingdingshan", date(2026, 3, 31), None, None, date(2027, 3, 31), "PDS P art19"),
        # 28 February 2027 is a Sunday: the last day is Monday 1 March (民法典 art 203).
        ("suining", date(2026, 3, 31), date(2026, 2, 28), None, date(2027, 3, 1), "SN P art36"),
        ("yunyang", date(2026, 1, 31), None, date(2027, 1, 31), date(2028, 1, 31), "YY art27"),
        ("xianyang", date(2026, 3, 1), date(2026, 5, 1), date(2027, 5, 1), None, "XY art19"),
        # XY art19 (竣工验收、经过1年运行后): a year after acceptance *and* a year of operation,
        # so a go-live before acceptance (the trial run) does not open the window early.
        ("xianyang", date(2026, 3, 1), date(2026, 1, 1), date(2027, 3, 1), None, "XY art19"),
        ("xianyang", date(2026, 3, 1), date(2026, 3, 1), date(2027, 3, 1), None, "XY art19"),
        ("xianyang", date(2026, 3, 1), date(2026, 3, 2), date(2027, 3, 2), None, "XY art19"),
        ("xianyang", date(2026, 3, 1), None, date(2027, 3, 1), None, "XY art19"),
        # YY art27 (通过竣工验收并投入运行后12—24个月): from when both have happened.
        (
            "yunyang",
            date(2026, 1, 31),
            date(2026, 3, 31),
            date(2027, 3, 31),
            date(2028, 3, 31),
            "YY art27",
        ),
        (
            "yunyang",
            date(2026, 1, 31),
            date(2026, 2, 1),
            date(2027, 2, 1),
            date(2028, 2, 1),
            "YY art27",
        ),
        (
            "yunyang",
            date(2026, 1, 31),
            date(2026, 1, 31),
            date(2027, 1, 31),
            date(2028, 1, 31),
            "YY art27",
        ),
        (
            "yunyang",
            date(2026, 1, 31),
            date(2025, 12, 1),
            date(2027, 1, 31),
            date(2028, 1, 31),
            "YY art27",
        ),
        # PDS P art19 counts from final acceptance alone; SN P art36 from going live alone
        # (投入运行后12个月内, the article names no acceptance).
        (
            "pingdingshan",
            date(2026, 3, 31),
            date(2026, 9, 1),
            None,
            date(2027, 3, 31),
            "PDS P art19",
        ),
        ("suining", date(2026, 3, 31), None, None, date(2027, 3, 31), "SN P art36"),
    ],
)
def test_h1_windows(profile, accepted, live, earliest, due, article):
    e, d, decision = evaluation_window(
        load_profile(profile), accepted_on=accepted, went_live_on=live
    )
    assert (e, d, decision.rule_id, decision.article) == (earliest, due, "H1", article)


@pytest.mark.parametrize(
    ("profile", "accepted", "live", "earliest", "due", "counted"),
    [
        # 12 months after 1 October 2025 is inside 国庆 2026 (1-7 October): due Thursday 8 October.
        ("pingdingshan", date(2025, 10, 1), None, None, date(2026, 10, 8), "2026-10-01"),
        ("suining", date(2025, 9, 1), date(2025, 10, 3), None, date(2026, 10, 8), "2026-10-03"),
        # YY: the last day moves, the first (12 months: 5 October 2025, also 国庆) does not.
        ("yunyang", date(2024, 10, 5), None, date(2025, 10, 5), date(2026, 10, 8), "2026-10-05"),
    ],
)
def test_h1_last_day_on_a_rest_day_moves(profile, accepted, live, earliest, due, counted):
    """H1 with 民法典 art 203: an evaluation due on a rest day is due on the next working day;
    the decision cites H1 and its article and says why the day moved."""
    e, d, decision = evaluation_window(
        load_profile(profile), accepted_on=accepted, went_live_on=live
    )
    assert (e, d, decision.rule_id) == (earliest, due, "H1")
    assert decision.figures["due"] == due
    assert f"{counted} is a rest day" in decision.reason and "民法典 art 203" in decision.reason


def test_h1_not_in_wuhai():
    assert evaluation_window(
        load_profile("wuhai"), accepted_on=date(2026, 1, 1), went_live_on=None
    ) == (None, None, None)


def test_suining_g5_and_g2():
    granted = {"pre_approval_id": "pa-1", "pre_approval_granted_on": date(2026, 5, 20)}
    base = facts(trial_run_started_on=date(2026, 1, 1), **granted)
    got = [
        (d.rule_id, d.outcome.value, d.article) for d in acceptance(load_profile("suining"), base)
    ]
    assert got == [
        ("G1", "allow", "SN P art32"),
        ("G5", "refuse", "SN P art40"),
        ("G2", "allow", "SN P art13, art32"),
    ]
    ok = facts(trial_run_started_on=date(2026, 1, 1), checked=frozenset(G5_ITEMS), **granted)
    assert [d.rule_id for d in acceptance(load_profile("suining"), ok)] == ["G1", "G2"]


@pytest.mark.parametrize(
    ("granted_on", "outcome"),
    [
        (None, "refuse"),  # never granted (none requested, or refused)
        (date(2026, 6, 2), "refuse"),  # the acceptance (1 June) before the pre-approval
        (date(2026, 6, 1), "allow"),  # granted the day of the acceptance
        (date(2026, 5, 1), "allow"),
    ],
)
def test_suining_g2_needs_the_bureaus_granted_pre_approval(granted_on, outcome):
    """SN P art32: 试运行结束后…向市数据局申请开展项目履约验收前置核准…项目经市数据局履约验收前置
    核准后,由建设单位…组织项目验收."""
    f = facts(
        trial_run_started_on=date(2026, 1, 1),
        checked=frozenset(G5_ITEMS),
        pre_approval_id="pa-1" if granted_on else None,
        pre_approval_granted_on=granted_on,
    )
    [g2] = [d for d in acceptance(load_profile("suining"), f) if d.rule_id == "G2"]
    assert (g2.outcome.value, g2.article) == (outcome, "SN P art13, art32")
    for other in ("pingdingshan", "xianyang", "yunyang", "wuhai"):
        assert "G2" not in [d.rule_id for d in acceptance(load_profile(other), f)]


def g3(**kw) -> list[tuple[str, str]]:
    got = acceptance(load_profile("yunyang"), facts(**(yy_base() | kw)))
    return [(d.outcome.value, d.article) for d in got if d.rule_id == "G3"]


def test_yunyang_g3_below_500_same_materials_unit_accepts_and_files():
    [(outcome, article)] = g3(total_investment=Decimal("4999999.99"), materials=frozenset())
    assert (outcome, article) == ("refuse", "YY art25")
    got = acceptance(
        load_profile("yunyang"),
        facts(**(yy_base() | {"total_investment": Decimal("4999999.99")})),
    )
    [d] = [d for d in got if d.rule_id == "G3"]
    assert d.outcome.value == "allow" and "files" in d.reason
    assert d.figures["bureau_acceptance_threshold_wan"] == Decimal(500)


@pytest.mark.parametrize(
    ("total", "kw", "outcome"),
    [
        # At or above 500万 the half year bounds the application to the bureau (建成后半年内…
        # 提交竣工验收申请), not the acceptance: completed 31 Jan, the half year ends 31 Jul.
        ("5000000.00", {"applied_on": date(2026, 7, 31), "accepted_on": date(2026, 9, 15)}, []),
        (
            "5000000.00",
            {"applied_on": date(2026, 8, 1), "accepted_on": date(2026, 9, 15)},
            [("refuse", "YY art25")],
        ),
        (
            "5000000.00",
            {
                "applied_on": date(2026, 8, 1),
                "accepted_on": date(2026, 9, 15),
                "extension_approved": True,
            },
            [],
        ),
        # No application date stated: the acceptance date bounds it (an application precedes it).
        ("5000000.00", {"accepted_on": date(2026, 7, 31)}, []),
        ("5000000.00", {"accepted_on": date(2026, 8, 1)}, [("refuse", "YY art25")]),
        # Below 500万 the unit itself organises the acceptance within the half year.
        ("4999999.99", {"accepted_on": date(2026, 7, 31)}, [("allow", "YY art25")]),
        (
            "4999999.99",
            {"applied_on": date(2026, 7, 1), "accepted_on": date(2026, 8, 1)},
            [("refuse", "YY art25")],
        ),
    ],
)
def test_yunyang_g3_half_year(total, kw, outcome):
    assert g3(total_investment=Decimal(total), **kw) == outcome


@pytest.mark.parametrize(
    ("applied_on", "refused"),
    [(date(2026, 10, 8), False), (date(2026, 10, 9), True)],
)
def test_yunyang_g3_half_year_ending_on_a_holiday_moves(applied_on, refused):
    """YY art25 (建成后半年内) with 民法典 art 203: completed 3 April 2026, the half year ends on
    3 October, inside 国庆 (1-7 October): an application on Thursday 8 October is in time; the
    refusal of a later one names the moved last day and why."""
    got = acceptance(
        load_profile("yunyang"),
        facts(**(yy_base() | {"completed_on": date(2026, 4, 3), "applied_on": applied_on})),
    )
    g3s = [d for d in got if d.rule_id == "G3"]
    if not refused:
        assert g3s == []
        return
    [d] = g3s
    assert (d.outcome.value, d.article) == ("refuse", "YY art25")
    assert d.figures["deadline"] == date(2026, 10, 8)
    assert "2026-10-03 is a rest day" in d.reason and "民法典 art 203" in d.reason


@pytest.mark.parametrize(
    ("profile", "result", "outcome", "article"),
    [
        # XY art17: accepted *and* a passed security evaluation (安全评测), or not into use.
        ("xianyang", None, "refuse", "XY art17"),
        ("xianyang", "failed", "refuse", "XY art17"),
        ("xianyang", "passed", "allow", "XY art17"),
        # YY art25: the security assessment is one of G3's materials; a stated failure still
        # keeps the system out of use.
        ("yunyang", None, "allow", "YY art25"),
        ("yunyang", "passed", "allow", "YY art25"),
        ("yunyang", "failed", "refuse", "YY art25"),
    ],
)
def test_g6_security_evaluation(profile, result, outcome, article):
    d = om_eligibility(load_profile(profile), facts(security_evaluation=result))
    assert (d.rule_id, d.outcome.value, d.article) == ("G6", outcome, article)


def c2(profile, **kw):
    got = acceptance(load_profile(profile), facts(**kw))
    return [(d.rule_id, d.article, d.outcome.value) for d in got if d.rule_id == "C2"]


@pytest.mark.parametrize("project_type", ["expansion", "continued", "operations"])
def test_wuhai_asks_the_catalog_before_acceptance_of_new_projects_only(project_type):
    """C2 (WH art15: 新建政务信息化项目必须于项目验收前...完成数据资源目录编制): the profile's
    project_types, read with the project type intake reports."""
    assert c2("wuhai", project_type="new", data_catalog_complete=False) == [
        ("C2", "WH art15", "refuse")
    ]
    assert c2("wuhai", project_type="new", data_catalog_complete=True) == [
        ("C2", "WH art15", "allow")
    ]
    got = acceptance(
        load_profile("wuhai"), facts(project_type=project_type, data_catalog_complete=False)
    )
    [decision] = [d for d in got if d.rule_id == "C2"]
    assert (decision.outcome.value, decision.article) == ("allow", "WH art15")
    assert decision.figures["project_types"] == ("new",)
    assert decision.figures["project_type"] == project_type


def test_yunyang_asks_the_catalog_of_every_project_type_at_acceptance():
    """C2 (YY art14): required from submission, so again at acceptance, of every type."""
    for project_type in ("new", "operations", "service_purchase"):
        assert c2("yunyang", project_type=project_type, data_catalog_complete=False) == [
            ("C2", "YY annex 2; YY art14", "refuse")
        ]
    # A project intake does not know the type of (no answer) is asked the catalog.
    assert c2("wuhai", data_catalog_complete=False) == [("C2", "WH art15", "refuse")]
