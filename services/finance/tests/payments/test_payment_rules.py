"""The funding gates (I1-I6) per profile, at their edges."""

from decimal import Decimal

from finance.funding.enums import FundingKind
from finance.payments import rules
from govit_kit.policy import Outcome, load_profile

OK_SYSTEM = rules.SystemFacts(True, True, True, True)


def facts(**kw):
    base = dict(
        amount=Decimal("100.00"),
        purpose=FundingKind.CONSTRUCTION,
        reviewed=True,
        in_plan=True,
        system=None,
        contract_total=Decimal("1000.00"),
        committed_on_contract=Decimal("0.00"),
        balance=Decimal("1000.00"),
    )
    return rules.PaymentFacts(**{**base, **kw})


def verdict(profile, **kw):
    return {
        d.rule_id: (d.outcome, d.article)
        for d in rules.check(load_profile(profile), facts(**kw), 2026)
    }


def test_each_profile_checks_only_its_gates():
    assert set(verdict("wuhai")) == {"I1", "I4"}
    assert set(verdict("xianyang")) == {"I1"}
    assert set(verdict("pingdingshan")) == {"I2"}
    assert set(verdict("suining")) == {"B2", "I5", "I6"}  # no I2 there; B2 says the same
    assert set(verdict("yunyang")) == {"I2", "I5"}
    assert set(verdict("yunyang", purpose=FundingKind.OM, system=OK_SYSTEM)) == {"I2", "I3", "I5"}


def test_outside_the_plan_refused_by_i2_or_else_b2():
    assert verdict("pingdingshan", in_plan=False)["I2"] == (Outcome.REFUSE, "PDS P art8")
    assert verdict("suining", in_plan=False)["B2"] == (Outcome.REFUSE, "SN P art17")
    assert verdict("suining")["B2"][0] is Outcome.ALLOW
    assert "B2" not in verdict("wuhai", in_plan=False)  # neither rule applies there


def test_i1_unreviewed_project_refused_where_it_applies():
    assert verdict("wuhai", reviewed=False)["I1"] == (Outcome.REFUSE, "WH art12")
    assert verdict("xianyang", reviewed=False)["I1"] == (Outcome.REFUSE, "XY art7")
    assert verdict("xianyang")["I1"][0] is Outcome.ALLOW


def test_i2_outside_the_plan_refused():
    assert verdict("pingdingshan", in_plan=False)["I2"] == (Outcome.REFUSE, "PDS P art8")
    assert verdict("yunyang", in_plan=False)["I2"] == (Outcome.REFUSE, "YY art7")


def test_i3_om_for_unaccepted_or_non_compliant_system_refused_in_yunyang():
    om = dict(purpose=FundingKind.OM)
    assert verdict("yunyang", **om)["I3"] == (Outcome.REFUSE, "YY art25, art28, art29, art30")
    for broken in range(4):
        flags = [True] * 4
        flags[broken] = False
        system = rules.SystemFacts(*flags)
        assert verdict("yunyang", system=system, **om)["I3"][0] is Outcome.REFUSE
    assert verdict("yunyang", system=OK_SYSTEM, **om)["I3"][0] is Outcome.ALLOW
    # A construction payment does not ask about acceptance.
    assert "I3" not in verdict("yunyang", system=None)


def test_i3_duplicate_collection_and_unintegrated_unit_each_refuse_naming_the_ground():
    om = dict(purpose=FundingKind.OM, system=OK_SYSTEM)
    assert verdict("yunyang", **om)["I3"][0] is Outcome.ALLOW
    profile = load_profile("yunyang")

    def i3(**kw):
        [d] = [d for d in rules.check(profile, facts(**{**om, **kw}), 2026) if d.rule_id == "I3"]
        return d

    twice = i3(collects_twice="云大数据〔2026〕7号")
    assert (twice.outcome, twice.article) == (Outcome.REFUSE, "YY art25, art28, art29, art30")
    assert "重复采集数据" in twice.reason and "云大数据〔2026〕7号" in twice.reason
    assert "应整合而未整合" not in twice.reason
    unit = i3(unit_unintegrated="云大数据〔2026〕8号")
    assert unit.outcome is Outcome.REFUSE
    assert "应整合而未整合" in unit.reason and "重复采集数据" not in unit.reason
    both = i3(collects_twice="d1", unit_unintegrated="d2", system=None)
    assert both.reason.count(";") == 2  # no acceptance, collects twice, unit not integrated
    # Only O&M asks, and only where I3 applies.
    assert "I3" not in verdict("yunyang", collects_twice="d1", unit_unintegrated="d2")
    for name in ("pingdingshan", "suining", "wuhai", "xianyang"):
        assert "I3" not in verdict(name, **om, collects_twice="d1", unit_unintegrated="d2")


def test_i4_open_finding_or_rectification_holds_in_wuhai():
    assert verdict("wuhai", open_findings=["f1"])["I4"] == (Outcome.HOLD, "WH art20")
    assert verdict("wuhai", open_rectifications=["r1"])["I4"] == (Outcome.HOLD, "WH art20")
    assert verdict("wuhai")["I4"][0] is Outcome.ALLOW


def test_i5_balance_and_i6_overrun_edges_in_suining():
    exact = verdict("suining", amount=Decimal("1000.00"))
    assert exact == {
        "B2": (Outcome.ALLOW, "SN P art17"),
        "I5": (Outcome.ALLOW, "SN P art21"),
        "I6": (Outcome.ALLOW, "SN P art30"),
    }
    over = verdict("suining", amount=Decimal("1000.01"), balance=Decimal("5000.00"))
    assert over["I6"] == (Outcome.REFUSE, "SN P art30") and over["I5"][0] is Outcome.ALLOW
    committed = verdict("suining", committed_on_contract=Decimal("900.01"))
    assert committed["I6"][0] is Outcome.REFUSE
    short = verdict("suining", balance=Decimal("99.99"))
    assert short["I5"] == (Outcome.REFUSE, "SN P art21")


def test_i4_no_next_year_funds_for_a_unit_that_has_not_rectified():
    wh = load_profile("wuhai")
    refused = rules.next_year_funds(wh, 2027, ["r1"])
    assert (refused.outcome, refused.article) == (Outcome.REFUSE, "WH art20")
    assert rules.next_year_funds(wh, 2027, []).outcome is Outcome.ALLOW
    assert rules.next_year_funds(load_profile("suining"), 2027, ["r1"]) is None


def test_i3_data_sharing_or_catalog_never_recorded_is_refused_as_not_recorded():
    profile = load_profile("yunyang")

    def i3(system):
        facts_ = facts(purpose=FundingKind.OM, system=system)
        [d] = [d for d in rules.check(profile, facts_, 2026) if d.rule_id == "I3"]
        return d

    unknown = i3(rules.SystemFacts(True, True, None, None))
    assert (unknown.outcome, unknown.article) == (Outcome.REFUSE, "YY art25, art28, art29, art30")
    assert unknown.reason == (
        "no record that the system shares its data; "
        "no record that the system is in the system catalog"
    )
    recorded = i3(rules.SystemFacts(True, True, False, False))
    assert recorded.reason == (
        "the system does not share its data; the system is outside the system catalog"
    )


def test_i3_open_security_order_refuses_om_naming_it_in_yunyang_only():
    om = dict(purpose=FundingKind.OM, system=OK_SYSTEM)
    orders = [("o-2", "security"), ("o-1", "crypto")]
    profile = load_profile("yunyang")
    [d] = [
        d
        for d in rules.check(profile, facts(**om, open_security_orders=orders), 2026)
        if d.rule_id == "I3"
    ]
    assert (d.outcome, d.article) == (Outcome.REFUSE, "YY art25, art28, art29, art30")
    assert "order o-1 (crypto), o-2 (security) is open" in d.reason
    assert "不符合密码应用和网络安全要求" in d.reason
    assert d.figures == {"open_security_orders": ["o-1", "o-2"]}
    # Construction is not O&M; no other profile has I3 (wuhai's I4 reads holds, not these).
    assert "I3" not in verdict("yunyang", open_security_orders=orders)
    for name in ("pingdingshan", "suining", "wuhai", "xianyang"):
        assert "I3" not in verdict(name, **om, open_security_orders=orders)
    assert verdict("wuhai", **om, open_security_orders=orders)["I4"][0] is Outcome.ALLOW
