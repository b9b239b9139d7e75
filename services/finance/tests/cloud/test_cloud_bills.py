"""Cloud bills: who pays (L9), idle-capacity fees (L11), verified by the data bureau (L10)."""

from decimal import Decimal

import pytest

from finance.cloud import rules
from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from govit_kit.policy import Outcome, load_profile
from govit_kit.testing import wait_until

SN = load_profile("suining")
CITY, COUNTY = UnitLevel.CITY, UnitLevel.COUNTY
FULL, PARTIAL, SELF = UnitFundingType.FULL, UnitFundingType.PARTIAL, UnitFundingType.SELF
ORD, DED, HOST = ServiceMode.GENERAL, ServiceMode.DEDICATED, ServiceMode.MANAGED


@pytest.mark.parametrize(
    ("level", "funding", "local", "mode", "expected"),
    [
        (CITY, FULL, False, ORD, Payer.CITY_FINANCE),
        (CITY, FULL, False, HOST, Payer.CITY_FINANCE),
        (CITY, FULL, False, DED, Payer.UNIT),
        (CITY, PARTIAL, False, ORD, Payer.UNIT),
        (CITY, SELF, False, HOST, Payer.UNIT),
        (COUNTY, FULL, True, ORD, Payer.COUNTY_FINANCE),
        (COUNTY, FULL, False, ORD, Payer.UNIT),
    ],
)
def test_suining_who_pays(level, funding, local, mode, expected):
    who, decision = rules.payer(SN, level, funding, local, mode)
    assert who is expected
    assert (decision.rule_id, decision.article) == ("L9", "SN C art17")


def test_profiles_without_l9_leave_the_unit_paying():
    who, decision = rules.payer(load_profile("yunyang"), CITY, FULL, False, ORD)
    assert who is Payer.UNIT and decision.article == ""


def test_idle_fees_cut_or_borne_by_the_refusing_unit():
    city = rules.payer(SN, CITY, FULL, False, ORD)
    cut = rules.split_line(
        SN,
        amount=Decimal("1000.00"),
        idle_extra=Decimal("300.00"),
        refused_rightsizing=False,
        payer_and_decision=city,
    )
    assert (cut.payer_amount, cut.unit_amount, cut.deducted) == (
        Decimal("700.00"),
        Decimal("0.00"),
        Decimal("300.00"),
    )
    assert [(d.rule_id, d.outcome) for d in cut.decisions][-1] == ("L11", Outcome.FLAG)
    borne = rules.split_line(
        SN,
        amount=Decimal("1000.00"),
        idle_extra=Decimal("300.00"),
        refused_rightsizing=True,
        payer_and_decision=city,
    )
    assert (borne.payer_amount, borne.unit_amount, borne.deducted) == (
        Decimal("700.00"),
        Decimal("300.00"),
        Decimal("0.00"),
    )
    # Yunyang has no L11: nothing is cut.
    yy = load_profile("yunyang")
    plain = rules.split_line(
        yy,
        amount=Decimal("1000.00"),
        idle_extra=Decimal("300.00"),
        refused_rightsizing=False,
        payer_and_decision=rules.payer(yy, CITY, FULL, False, ORD),
    )
    assert (plain.payer_amount, plain.deducted) == (Decimal("1000.00"), Decimal("0.00"))


async def test_suining_bill_verified_split_and_settled(finance_for, issuer):
    fin = await finance_for("suining")
    bureau = issuer.issue("dan", "org-bureau", ["bureau_cloud_admin"])
    units = {
        "org-tax": {"level": "city", "funding": "full"},
        "org-hospital": {"level": "city", "funding": "partial"},
        "org-county": {"level": "county", "funding": "full", "local_finance_pays": True},
    }
    for org, body in units.items():
        await fin.call("PUT", f"/v1/units/{org}/funding", json=body, expect=200)
    await fin.call("PUT", "/v1/units/org-x/funding", fin.unit_a, json=units["org-tax"], expect=403)
    bill = {
        "provider_id": "provider-1",
        "month": "2026-10",
        "lines": [
            {"org_id": "org-tax", "service_mode": "general", "amount": "1000.00"},
            {"org_id": "org-tax", "service_mode": "dedicated", "amount": "500.00"},
            {
                "org_id": "org-tax",
                "service_mode": "managed",
                "amount": "200.00",
                "idle_extra": "50.00",
                "refused_rightsizing": True,
            },
            {
                "org_id": "org-hospital",
                "service_mode": "general",
                "amount": "300.00",
                "idle_extra": "100.00",
            },
            {"org_id": "org-county", "service_mode": "general", "amount": "400.00"},
        ],
    }
    # Only the data bureau verifies bills (L10); every unit needs its funding type (L9).
    await fin.call("POST", "/v1/cloud-bills", json=bill, expect=403)
    unknown = {**bill, "lines": [*bill["lines"], {**bill["lines"][0], "org_id": "org-new"}]}
    r = await fin.call("POST", "/v1/cloud-bills", bureau, json=unknown, expect=422)
    assert r.json()["errors"][0]["field"] == "lines[5].org_id"
    # L9 cited with its article and carried as its refusal decision (before: "(L9)" alone).
    assert "(L9 (SN C art17))" in r.json()["detail"], r.text
    assert [(d["rule_id"], d["article"]) for d in r.json()["decisions"]] == [("L9", "SN C art17")]
    # A blank provider is no provider: a 422 naming the field, nothing recorded.
    r = await fin.call(
        "POST", "/v1/cloud-bills", bureau, json={**bill, "provider_id": "   "}, expect=422
    )
    assert r.json()["errors"][0]["field"] == "provider_id"
    r = await fin.call("POST", "/v1/cloud-bills", bureau, json=bill, expect=201)
    settled = r.json()
    assert settled["billed"] == "2400.00" and settled["deducted"] == "100.00"
    assert settled["payable_to_provider"] == "2300.00"
    assert settled["decisions"][0]["rule_id"] == "L10"
    owed = {(p["payer"], p["org_id"]): p["amount"] for p in settled["payables"]}
    assert owed == {
        ("city_finance", ""): "1150.00",  # ordinary 1000 + hosting 200 less its idle 50
        ("unit", "org-tax"): "550.00",  # dedicated 500 + the idle 50 it refused to give up
        ("unit", "org-hospital"): "200.00",  # partly funded: all, less the cut idle 100
        ("county_finance", "org-county"): "400.00",
    }
    assert sum(Decimal(a) for a in owed.values()) == Decimal(settled["payable_to_provider"])
    await fin.call("POST", "/v1/cloud-bills", bureau, json=bill, expect=409)
    r = await fin.call("GET", f"/v1/cloud-bills/{settled['id']}", fin.auditor, expect=200)
    assert len(r.json()["lines"]) == 5
    await fin.call("GET", f"/v1/cloud-bills/{settled['id']}", fin.unit_a, expect=403)

    async def published():
        outbox = fin.running.runtime.db.tables.outbox
        async with fin.running.runtime.db.sessions() as session:
            rows = (await session.execute(outbox.select())).all()
        return any(
            r.event_type == "govit.finance.cloud_bill.settled" and r.published_at for r in rows
        )

    await wait_until(published)
