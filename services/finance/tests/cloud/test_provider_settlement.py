"""Quarterly provider assessments tied to the annual settlement (L18)."""

from decimal import Decimal

from finance.cloud import rules
from govit_kit.policy import Outcome, load_profile


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
    assert refusal["rule_id"] == "L18" and refusal["figures"]["missing_quarters"] == [3, 4]
    for q in (3, 4):
        await fin.call("POST", f"{base}/assessments", bureau, json=scores(q, "80"), expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=201)
    settled = r.json()
    assert (settled["payable"], settled["penalty"], settled["settled"]) == (
        "5000.00",
        "150.00",  # 5% of Q2's 3000.00
        "4850.00",
    )
    assert [d["figures"]["quarter"] for d in settled["decisions"]] == [2]
    await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2025}, expect=409)
    assert "govit.finance.cloud_settlement.recorded" in await fin.emitted()


async def test_yunyang_has_no_provider_assessment(finance_for, issuer):
    fin = await finance_for("yunyang")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    terms = {"contract_ref": "x", "pass_mark": "80", "penalty_ratio": "0.05"}
    await fin.call("PUT", "/v1/cloud-providers/prov/contract", bureau, json=terms, expect=409)
