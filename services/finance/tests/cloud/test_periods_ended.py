"""A period is billed, assessed or settled only once it has ended in China: a year settled
before its December could not take December's bill (the year cannot be settled again), so a
bill waits for its month's end (L10: the data bureau verifies a month's bill), an assessment for
its period's and a settlement for its year's (L18). Each 422 carries the rule, its article and
the refusal as a decision. Fixed instants stand for "now"."""

import datetime as dt

import pytest

from finance.cloud import flows as cloud_flows
from govit_kit.policy import SHANGHAI

ASPECTS = ("response", "satisfaction", "confidentiality", "assurance", "quality")


@pytest.fixture
def now(monkeypatch):
    """Pins finance's clock for the cloud flows: `now["at"] = ...` moves it."""
    at = {"at": dt.datetime(2026, 12, 20, 10, tzinfo=SHANGHAI)}
    monkeypatch.setattr(cloud_flows, "utcnow", lambda: at["at"].astimezone(dt.UTC), raising=False)
    return at


def bill(month):
    return {
        "provider_id": "prov",
        "month": month,
        "lines": [{"org_id": "org-tax", "service_mode": "general", "amount": "1000.00"}],
    }


def error(r, field):
    [e] = r.json()["errors"]
    assert e["field"] == field, r.text
    return e["message"]


def cited(r, rule, article):
    """The 422's rule, article and its refusal decision, as a rule's refusals carry them."""
    body = r.json()
    assert (body["rule_id"], body["article"]) == (rule, article), body
    [d] = body["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == (rule, article, "refuse"), body
    assert d["figures"]["recordable_from"], body


async def test_suining_bill_assessment_and_settlement_wait_for_the_period_end(
    now, finance_for, issuer
):
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await fin.call("PUT", "/v1/units/org-tax/funding", json={"level": "city", "funding": "full"})
    # 20 December 2026: December is not over; November is.
    r = await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-12"), expect=422)
    assert "L10 (SN C art5, art6)" in error(r, "month") and "2026-12" in error(r, "month")
    cited(r, "L10", "SN C art5, art6")
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2027-01"), expect=422)
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-11"), expect=201)
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "SN-1", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)

    def scores(year, q):
        return {"year": year, "quarter": q, **dict.fromkeys(ASPECTS, "90")}

    r = await fin.call("POST", f"{base}/assessments", bureau, json=scores(2026, 4), expect=422)
    assert "L18 (SN C art32, art35)" in error(r, "quarter")
    cited(r, "L18", "SN C art32, art35")
    r = await fin.call("POST", f"{base}/assessments", bureau, json=scores(2027, 1), expect=422)
    assert "L18 (SN C art32, art35)" in error(r, "year")
    cited(r, "L18", "SN C art32, art35")
    for q in (1, 2, 3):
        await fin.call("POST", f"{base}/assessments", bureau, json=scores(2026, q), expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2026}, expect=422)
    assert "L18 (SN C art32, art35)" in error(r, "year") and "2026" in error(r, "year")
    cited(r, "L18", "SN C art32, art35")
    # The last instant of 2026 in China has passed at midnight: December is billed, Q4
    # assessed, and the year settled with December in it.
    now["at"] = dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-12"), expect=422)
    now["at"] = dt.datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-12"), expect=201)
    await fin.call("POST", f"{base}/assessments", bureau, json=scores(2026, 4), expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2026}, expect=201)
    assert r.json()["payable"] == "2000.00"


async def test_pingdingshan_settlement_waits_for_the_year_end(now, finance_for, issuer):
    """PDS C art21 sets no cadence: an assessment period the bureau numbers (1-12) ends no
    earlier than that month; the year is settled once it has ended, citing L18."""
    fin = await finance_for("pingdingshan")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    base = "/v1/cloud-providers/prov"
    terms = {"contract_ref": "PDS-1", "pass_mark": "80.00", "penalty_ratio": "0.05"}
    await fin.call("PUT", f"{base}/contract", bureau, json=terms, expect=200)
    q12 = {"year": 2026, "quarter": 12, **dict.fromkeys(ASPECTS, "90")}
    r = await fin.call("POST", f"{base}/assessments", bureau, json=q12, expect=422)
    assert "L18 (PDS C art21)" in error(r, "quarter")
    cited(r, "L18", "PDS C art21")
    q11 = {**q12, "quarter": 11}
    await fin.call("POST", f"{base}/assessments", bureau, json=q11, expect=201)
    r = await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2026}, expect=422)
    assert "L18 (PDS C art21)" in error(r, "year")
    cited(r, "L18", "PDS C art21")
    now["at"] = dt.datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)
    await fin.call("POST", f"{base}/settlements", bureau, json={"year": 2026}, expect=201)


async def test_yunyang_bill_for_a_month_under_way_is_a_plain_422(now, finance_for, issuer):
    """Where L10 does not apply the bill still waits for its month, citing no rule."""
    fin = await finance_for("yunyang")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    await fin.call("PUT", "/v1/units/org-tax/funding", json={"level": "city", "funding": "full"})
    r = await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-12"), expect=422)
    message = error(r, "month")
    assert "2026-12" in message and "L18" not in message and "L10" not in message
    assert "rule_id" not in r.json() and "decisions" not in r.json()
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill("2026-11"), expect=201)
