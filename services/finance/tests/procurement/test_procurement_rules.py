"""E1-E6 at their edges, with each profile's figures."""

from datetime import date
from decimal import Decimal

import pytest

from finance.procurement import rules
from finance.procurement.enums import ProcurementMethod as M
from govit_kit.policy import Outcome, load_profile


def outcome(decision):
    return decision.outcome, decision.rule_id, decision.article


@pytest.mark.parametrize(
    ("project_total", "amount", "method", "expected"),
    [
        ("1000000.00", "1000000.00", M.INQUIRY, Outcome.ALLOW),  # exactly 100万: not "above"
        ("1000000.01", "900000.00", M.INQUIRY, Outcome.REFUSE),  # the project decides, not the buy
        ("1000000.01", "10000.00", M.SINGLE_SOURCE, Outcome.REFUSE),
        ("1000000.01", "900000.00", M.PUBLIC_TENDER, Outcome.ALLOW),
        ("5000000.00", "5000000.00", M.INVITED_TENDER, Outcome.ALLOW),
        ("5000000.00", "4000000.00", M.COMPETITIVE_NEGOTIATION, Outcome.REFUSE),
        ("900000.00", "900000.00", M.INQUIRY, Outcome.ALLOW),
    ],
)
def test_xianyang_tenders_when_the_project_invests_above_100_wan(
    project_total, amount, method, expected
):
    xy = load_profile("xianyang")
    d = rules.procurement_method(xy, Decimal(amount), method, project_total=Decimal(project_total))
    assert outcome(d) == (expected, "E1", "XY art11, art12")
    assert d.figures["measured_on"] == "project_investment"
    assert d.figures["project_total"] == Decimal(project_total)


def test_e1_threshold_on_the_purchase_where_the_profile_says_so():
    # An operator's reading of a per-purchase line (政府采购限额标准 is set per purchase).
    xy = load_profile("xianyang")
    e1 = xy.rules["E1"].model_copy(
        update={"figures": {"tender_above_wan": Decimal(100), "measured_on": "purchase"}}
    )
    per_purchase = xy.model_copy(update={"rules": {**xy.rules, "E1": e1}})
    small = rules.procurement_method(
        per_purchase, Decimal("900000.00"), M.INQUIRY, project_total=Decimal("5000000.00")
    )
    assert small.outcome is Outcome.ALLOW
    big = rules.procurement_method(
        per_purchase, Decimal("1000000.01"), M.INQUIRY, project_total=Decimal("1000000.01")
    )
    assert outcome(big) == (Outcome.REFUSE, "E1", "XY art11, art12")


def test_e1_without_a_figure_records_the_method():
    for name, article in [
        ("suining", "SN P art25"),
        ("yunyang", "YY art15"),
        ("pingdingshan", "PDS P art12"),
        ("wuhai", "WH art13"),
    ]:
        d = rules.procurement_method(
            load_profile(name), Decimal("9000000.00"), M.INQUIRY, project_total=Decimal(9000000)
        )
        assert outcome(d) == (Outcome.ALLOW, "E1", article)


def test_yunyang_ban_lasts_five_years_and_ends_on_its_day():
    yy = load_profile("yunyang")
    assert rules.ban_end(yy, date(2021, 3, 1)) == date(2026, 3, 1)
    # banned_until is the first free day (Ban.active_on: day < banned_until). Five years from
    # 29 February 2024 run through 28 February 2029, the last day of that February (民法典 art
    # 202: 没有对应日的，月末日为期间的最后一日): free from 1 March, not a day early.
    assert rules.ban_end(yy, date(2024, 2, 29)) == date(2029, 3, 1)
    leap = [rules.Ban(date(2024, 2, 29), rules.ban_end(yy, date(2024, 2, 29)))]
    assert rules.contractor_eligible(yy, ["ITSS-2"], leap, date(2029, 2, 28)).outcome is (
        Outcome.REFUSE
    )
    assert rules.contractor_eligible(yy, ["ITSS-2"], leap, date(2029, 3, 1)).outcome is (
        Outcome.ALLOW
    )
    assert rules.ban_end(load_profile("xianyang"), date(2021, 3, 1)) is None
    ban = [rules.Ban(date(2021, 3, 1), date(2026, 3, 1))]
    last_day = rules.contractor_eligible(yy, ["ITSS-2"], ban, date(2026, 2, 28))
    assert outcome(last_day) == (Outcome.REFUSE, "E2", "YY art35")
    assert last_day.figures["banned_until"] == date(2026, 3, 1)
    # The refusal names the last banned day and the first free one, not a day already free.
    assert (
        "last banned day 2026-02-28" in last_day.reason
        and "free from 2026-03-01" in last_day.reason
    )
    assert last_day.figures["last_banned_day"] == date(2026, 2, 28)
    ended = rules.contractor_eligible(yy, ["ITSS-2"], ban, date(2026, 3, 1))
    assert ended.outcome is Outcome.ALLOW
    unqualified = rules.contractor_eligible(yy, [], [], date(2026, 3, 1))
    assert outcome(unqualified) == (Outcome.REFUSE, "E2", "YY art35")
    # Suining has no E2: nothing to refuse on.
    assert rules.contractor_eligible(
        load_profile("suining"), [], ban, date(2025, 1, 1)
    ).outcome is (Outcome.ALLOW)


def terms(profile, total="1000000.00", warranty=36, free_om=12, c=True, d=True, sup=None):
    return {
        x.rule_id: x
        for x in rules.contract_terms(
            load_profile(profile),
            project_total=Decimal(total),
            warranty_months=warranty,
            free_om_months=free_om,
            copyright_to_government=c,
            data_assets_to_government=d,
            supervisor=sup,
        )
    }


def test_suining_free_om_copyright_and_supervision_edges():
    ok = terms("suining", total="3999999.99", free_om=12)
    assert {k: v.outcome for k, v in ok.items()} == {
        "E4": Outcome.ALLOW,
        "E5": Outcome.ALLOW,
        "E6": Outcome.ALLOW,
    }
    assert outcome(terms("suining", free_om=11)["E4"]) == (Outcome.REFUSE, "E4", "SN P art34")
    assert outcome(terms("suining", d=False)["E5"]) == (Outcome.REFUSE, "E5", "SN P art11")
    at_400 = terms("suining", total="4000000.00")["E6"]
    assert outcome(at_400) == (Outcome.REFUSE, "E6", "SN P art29")
    assert terms("suining", total="4000000.00", sup="某监理公司")["E6"].outcome is Outcome.ALLOW


def test_xianyang_warranty_three_years_and_yunyang_always_supervised():
    assert terms("xianyang", warranty=36, free_om=0)["E4"].outcome is Outcome.ALLOW
    short = terms("xianyang", warranty=35, free_om=0)["E4"]
    assert outcome(short) == (Outcome.REFUSE, "E4", "XY art21")
    assert "E5" not in terms("xianyang") and "E6" not in terms("xianyang")
    assert outcome(terms("yunyang", total="0.01")["E6"]) == (Outcome.REFUSE, "E6", "YY art20")
    assert terms("yunyang", total="0.01", sup="监理")["E6"].outcome is Outcome.ALLOW


@pytest.mark.parametrize(
    ("earlier", "amount", "expected"),
    [
        ("0.00", "100000.00", Outcome.ALLOW),  # exactly 10%
        ("0.00", "100100.00", Outcome.REFUSE),  # 10.01%
        ("60000.00", "40000.00", Outcome.ALLOW),  # together exactly 10%
        ("60000.00", "40000.01", Outcome.REFUSE),
    ],
)
def test_suining_supplements_at_most_ten_percent(earlier, amount, expected):
    d = rules.supplementary(
        load_profile("suining"),
        original=Decimal("1000000.00"),
        earlier_supplements=Decimal(earlier),
        amount=Decimal(amount),
        adjustment_approved_on=date(2026, 5, 1),
        signed_on=date(2026, 5, 1),
    )
    assert outcome(d) == (expected, "E3", "SN P art30")
    assert d.figures["cap"] == Decimal("100000.00")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("123456.77", Outcome.ALLOW), ("123456.78", Outcome.REFUSE)],
)
def test_suining_cap_is_not_rounded_up_before_comparing(amount, expected):
    """E3 (SN P art30, 不得超过10%): 10% of 1234567.75 is 123456.775 exactly; rounded half-even
    to 123456.78 it let a supplement half a fen over the share through. The share is compared
    unrounded; the cap shown is rounded down to the fen."""
    d = rules.supplementary(
        load_profile("suining"),
        original=Decimal("1234567.75"),
        earlier_supplements=Decimal("0.00"),
        amount=Decimal(amount),
        adjustment_approved_on=date(2026, 5, 1),
        signed_on=date(2026, 5, 1),
    )
    assert outcome(d) == (expected, "E3", "SN P art30")
    assert d.figures["cap"] == Decimal("123456.77")


def test_supplement_needs_an_adjustment_approved_before_signing():
    d = rules.supplementary(
        load_profile("suining"),
        original=Decimal("1000000.00"),
        earlier_supplements=Decimal(0),
        amount=Decimal("1.00"),
        adjustment_approved_on=date(2026, 5, 2),
        signed_on=date(2026, 5, 1),
    )
    assert outcome(d) == (Outcome.REFUSE, "E3", "SN P art30")


@pytest.mark.parametrize(
    ("earlier", "amount", "expected"),
    [("0.00", "50000.00", Outcome.ALLOW), ("30000.00", "20000.00", Outcome.ALLOW),
     ("30000.00", "20000.01", Outcome.REFUSE)],
)  # fmt: skip
def test_supplements_on_one_adjustment_stay_within_what_it_approved(earlier, amount, expected):
    d = rules.supplementary(
        load_profile("suining"),
        original=Decimal("1000000.00"),
        earlier_supplements=Decimal(earlier),
        amount=Decimal(amount),
        adjustment_approved_on=date(2026, 5, 1),
        signed_on=date(2026, 5, 1),
        adjustment_amount=Decimal("50000.00"),
        earlier_on_adjustment=Decimal(earlier),
    )
    assert outcome(d) == (expected, "E3", "SN P art30")


def test_xianyang_major_project_from_100_wan_needs_its_leader_and_the_bureau_expert():
    xy = load_profile("xianyang")

    def e7(total, leader, expert):
        [d] = [
            x
            for x in rules.contract_terms(
                xy,
                project_total=Decimal(total),
                warranty_months=36,
                free_om_months=0,
                copyright_to_government=True,
                data_assets_to_government=True,
                supervisor=None,
                principal_leader_heads=leader,
                bureau_expert_in_working_group=expert,
            )
            if x.rule_id == "E7"
        ]
        return d

    assert outcome(e7("1000000.00", True, False)) == (Outcome.REFUSE, "E7", "XY art10")
    assert "bureau's expert" in e7("1000000.00", True, False).reason
    assert e7("1000000.00", True, True).outcome is Outcome.ALLOW
    assert e7("999999.99", False, False).outcome is Outcome.ALLOW
