"""Provider assessments at the profile's cadence, tied to the annual settlement where the profile
says so (L18)."""

from decimal import Decimal

from finance.cloud import rules
from govit_kit.policy import Outcome, PolicyProfile, load_profile

ASPECTS = ("response", "satisfaction", "confidentiality", "assurance", "quality")


def with_interval(months: int) -> PolicyProfile:
    """Suining with another L18 cadence, to show the periods come from the figure."""
    sn = load_profile("suining")
    l18 = sn.rules["L18"].model_copy(update={"figures": {rules.INTERVAL: months}})
    return sn.model_copy(update={"rules": {**sn.rules, "L18": l18}})


def graded(scores: dict[int, str], pass_mark: str = "80") -> dict[int, rules.Assessed]:
    """Periods' assessments as recorded: each score and whether it reached the pass mark."""
    return {
        p: rules.Assessed(Decimal(s), Decimal(s) >= Decimal(pass_mark)) for p, s in scores.items()
    }


def test_the_assessment_periods_come_from_the_profile():
    assert rules.assessment_periods(load_profile("suining")) == 4  # 每季度: every 3 months
    assert rules.assessment_periods(with_interval(6)) == 2
    assert rules.assessment_periods(load_profile("pingdingshan")) is None  # no cadence
    half_yearly = with_interval(6)
    monthly = {1: Decimal("100.00"), 6: Decimal("100.00"), 7: Decimal("400.00")}
    pass_mark, ratio = Decimal("80"), Decimal("0.10")
    penalty, [cut] = rules.annual_settlement(
        half_yearly, monthly, graded({1: "70", 2: "90"}), pass_mark, ratio
    )
    assert penalty == Decimal("20.00")  # 10% of January to June's 200.00
    assert (cut.figures["period"], cut.figures["interval_months"]) == (1, 6)
    # Under SN's quarterly cadence the same two scores leave two quarters unassessed.
    _, [refusal] = rules.annual_settlement(
        load_profile("suining"), monthly, graded({1: "70", 2: "90"}), pass_mark, ratio
    )
    assert refusal.outcome is Outcome.REFUSE and refusal.figures["missing_periods"] == [3, 4]


def test_suining_settles_with_four_of_four_quarters_and_refuses_three_of_four():
    sn = load_profile("suining")
    monthly = {m: Decimal("100.00") for m in range(1, 13)}
    three = graded(dict.fromkeys((1, 2, 3), "90"))
    penalty, [refusal] = rules.annual_settlement(sn, monthly, three, Decimal("80"), Decimal("0.05"))
    assert (refusal.outcome, refusal.rule_id, refusal.article) == (
        Outcome.REFUSE,
        "L18",
        "SN C art32, art35",
    )
    assert refusal.figures["missing_periods"] == [4] and penalty == 0
    four = {**three, **graded({4: "79.99"})}
    penalty, [cut] = rules.annual_settlement(sn, monthly, four, Decimal("80"), Decimal("0.05"))
    assert cut.outcome is Outcome.FLAG and penalty == Decimal("15.00")  # 5% of Q4's 300.00


def test_pingdingshan_settlement_is_not_tied_to_assessments():
    pds = load_profile("pingdingshan")
    monthly = {1: Decimal("100.00")}
    for scores in ({}, graded({1: "10"})):
        penalty, [d] = rules.annual_settlement(pds, monthly, scores, Decimal("80"), Decimal("0.05"))
        assert (d.outcome, d.rule_id, d.article, penalty) == (
            Outcome.ALLOW,
            "L18",
            "PDS C art21",
            0,
        )
    assert d.figures["failed_periods"] == [1]
    # The period failed as its assessment decided, not by the stored score compared again.
    _, [d] = rules.annual_settlement(
        pds, monthly, {1: rules.Assessed(Decimal("80.00"), False)}, Decimal("80"), Decimal("0.05")
    )
    assert d.figures["failed_periods"] == [1]
    below = rules.assessment(pds, Decimal("10"), Decimal("80"))
    assert below.outcome is Outcome.FLAG and "not tied" in below.reason


def test_a_quarter_exactly_at_the_standard_passes():
    sn = load_profile("suining")
    assert rules.assessment(sn, Decimal("80.00"), Decimal("80.00")).outcome is Outcome.ALLOW
    below = rules.assessment(sn, Decimal("79.99"), Decimal("80.00"))
    assert (below.outcome, below.rule_id, below.article) == (
        Outcome.FLAG,
        "L18",
        "SN C art32, art35",
    )
    pds = rules.assessment(load_profile("pingdingshan"), Decimal("1"), Decimal("80"))
    assert pds.article == "PDS C art21"


def test_the_exact_mean_decides_and_the_shown_score_is_rounded_down():
    """L18 (SN C art32, art35): 79.998 is below 80.00; it is shown as 79.99, never 80.00."""
    sn = load_profile("suining")
    d = rules.assessment(sn, Decimal("79.998"), Decimal("80.00"))
    assert d.outcome is Outcome.FLAG
    assert (d.figures["mean"], d.figures["score"]) == (Decimal("79.998"), Decimal("79.99"))
    assert rules.assessment_score(Decimal("80.000")) == Decimal("80.00")
    monthly = {m: Decimal("100.00") for m in range(1, 13)}
    four = {q: rules.Assessed(Decimal("80.00"), True) for q in (1, 2, 3)}
    four[4] = rules.Assessed(rules.assessment_score(Decimal("79.998")), False)
    penalty, [cut] = rules.annual_settlement(sn, monthly, four, Decimal("80"), Decimal("0.05"))
    assert (cut.outcome, cut.figures["period"], penalty) == (Outcome.FLAG, 4, Decimal("15.00"))


async def test_suining_year_settled_after_four_assessments(finance_for, issuer):
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await fin.call("PUT", "/v1/units/org-tax/funding", json={"level": "city", "funding": "full"})
    for month, amount in [("2025-01", "1000.00"), ("2025-02", "1000.00"), ("2025-04", "3000.00")]:
        bill = {
            "provider_id": "prov",
            "month": month,
            "lines": [{"org_id": "org-tax", "service_mode": "general", "amount": amount}],
        }
        await fin.call("POST", "/v1/cloud-bills", bureau, json=bill, expect=201)
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "SNZFY-2025-01", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", json=terms, expect=403)
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)

    def scores(q, value):
        aspects = ("response", "satisfaction", "confidentiality", "assurance", "quality")
        return {"year": 2025, "quarter": q, **dict.fromkeys(aspects, value)}

    r = await fin.call("POST", f"{base}/assessments", bureau, json=scores(1, "90"), expect=201)
    assert r.json()["passed"] is True
    q2 = {**scores(2, "80"), "quality": "79.95"}  # mean 79.99
    r = await fin.call("POST", f"{base}/assessments", bureau, json=q2, expect=201)
    assert r.json()["score"] == "79.99" and r.json()["passed"] is False
    await fin.call("POST", f"{base}/assessments", bureau, json=q2, expect=409)
    # Not every quarter assessed: the settlement waits (L18).
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=422)
    [refusal] = r.json()["decisions"]
    assert refusal["rule_id"] == "L18" and refusal["figures"]["missing_periods"] == [3, 4]
    for q in (3, 4):
        await fin.call("POST", f"{base}/assessments", bureau, json=scores(q, "80"), expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=201)
    settled = r.json()
    assert (settled["payable"], settled["penalty"], settled["settled"]) == (
        "5000.00",
        "150.00",  # 5% of Q2's 3000.00
        "4850.00",
    )
    assert [d["figures"]["period"] for d in settled["decisions"]] == [2]
    await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=409)
    assert "govit.finance.cloud_settlement.recorded" in await fin.emitted()


async def test_an_id_in_the_path_longer_than_its_column_is_a_422_naming_it(finance_for, issuer):
    """A unit's or provider's id longer than the 64 characters stored for it is refused by name
    (it was a 500 on PostgreSQL, silently stored on SQLite)."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    long_id = "x" * 65
    r = await fin.call(
        "PUT", f"/v1/units/{long_id}/funding", json={"level": "city", "funding": "full"}, expect=422
    )
    assert r.json()["errors"][0]["field"] == "org_id"
    base = f"/v1/cloud-providers/{long_id}"
    terms = {"contract_ref": "SN-1", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    q = {"year": 2025, "quarter": 1, **dict.fromkeys(ASPECTS, "90")}
    for path, body in [("contract", terms), ("assessments", q), ("settlements", {"year": 2025})]:
        method = "PUT" if path == "contract" else "POST"
        r = await fin.call(method, f"{base}/{path}", bureau, json=body, expect=422)
        assert r.json()["errors"][0]["field"] == "provider_id", path


async def test_yunyang_has_no_provider_assessment(finance_for, issuer):
    fin = await finance_for("yunyang")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    terms = {"contract_ref": "x", "pass_mark": "80", "penalty_ratio": "0.05"}
    await fin.call("PUT", "/v1/cloud-providers/prov/contract", bureau, json=terms, expect=409)


async def test_pingdingshan_year_settled_without_assessments(finance_for, issuer):
    """PDS C art21: the bureau assesses providers, with no cadence and no tie to the settlement."""
    fin = await finance_for("pingdingshan")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    bill = {
        "provider_id": "prov",
        "month": "2025-03",
        "lines": [{"org_id": "org-tax", "service_mode": "general", "amount": "1000.00"}],
    }
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill, expect=201)
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "PDS-2025-01", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=201)
    settled = r.json()
    assert (settled["payable"], settled["penalty"], settled["settled"]) == (
        "1000.00",
        "0.00",
        "1000.00",
    )
    [d] = settled["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == ("L18", "PDS C art21", "allow")
    # Assessments are still recorded.
    q = {"year": 2026, "quarter": 1, **dict.fromkeys(ASPECTS, "70")}
    r = await fin.call("POST", f"{base}/assessments", bureau, json=q, expect=201)
    assert r.json()["passed"] is False


async def test_suining_period_beyond_the_cadence_is_refused(finance_for, issuer):
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "SN-1", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)
    q = {"year": 2025, "quarter": 5, **dict.fromkeys(ASPECTS, "90")}
    r = await fin.call("POST", f"{base}/assessments", bureau, json=q, expect=422)
    # L18 cited with its article and carried as its refusal decision (before: "(L18)" alone).
    assert r.json()["errors"][0]["field"] == "quarter"
    assert r.json()["detail"].endswith("(L18 (SN C art32, art35))"), r.text
    [d] = r.json()["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == ("L18", "SN C art32, art35", "refuse")
    assert d["figures"]["periods"] == 4


async def test_a_mean_just_below_the_pass_mark_fails_and_is_withheld(finance_for, issuer):
    """L18 (SN C art32, art35): the pass is decided on the exact mean of the five aspects. 80, 80,
    80, 80 and 79.99 average 79.998: below 80.00, so the quarter fails (rounded half-even to
    80.00 it passed and the settlement withheld nothing). The stored score is floored to the
    hundredth (79.99), so it never reads as passing; the decision shows the exact mean."""
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await fin.call("PUT", "/v1/units/org-tax/funding", json={"level": "city", "funding": "full"})
    bill = {
        "provider_id": "prov",
        "month": "2025-02",
        "lines": [{"org_id": "org-tax", "service_mode": "general", "amount": "1000.00"}],
    }
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill, expect=201)
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "SN-1", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)
    q1 = {"year": 2025, "quarter": 1, **dict.fromkeys(ASPECTS, "80"), "quality": "79.99"}
    r = await fin.call("POST", f"{base}/assessments", bureau, json=q1, expect=201)
    got = r.json()
    assert (got["passed"], got["score"]) == (False, "79.99")
    [d] = got["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == ("L18", "SN C art32, art35", "flag")
    assert (d["figures"]["mean"], d["figures"]["score"]) == ("79.998", "79.99")
    for q in (2, 3, 4):
        body = {"year": 2025, "quarter": q, **dict.fromkeys(ASPECTS, "80")}
        r = await fin.call("POST", f"{base}/assessments", bureau, json=body, expect=201)
        assert r.json()["passed"] is True  # exactly the pass mark passes
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=201)
    settled = r.json()
    assert (settled["payable"], settled["penalty"], settled["settled"]) == (
        "1000.00",
        "50.00",  # 5% of Q1's 1000.00
        "950.00",
    )
    assert [d["figures"]["period"] for d in settled["decisions"]] == [1]
