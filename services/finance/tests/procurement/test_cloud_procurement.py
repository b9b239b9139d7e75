"""L10: where the data bureau buys the government cloud, a unit's procurement of cloud services is
refused (PDS C art6; SN C art5, art6); elsewhere, and for anything else, nothing changes."""

import datetime as dt

import pytest

from finance.procurement import rules
from finance.procurement.enums import ProcurementCategory as C
from govit_kit.credit_code import with_check_character
from govit_kit.policy import SHANGHAI, Outcome, load_profile

L10 = {"pingdingshan": "PDS C art6", "suining": "SN C art5, art6"}
PROFILES = ("pingdingshan", "suining", "wuhai", "yunyang", "xianyang")


def test_l10_refuses_cloud_services_only_where_it_applies():
    for name in PROFILES:
        profile = load_profile(name)
        for category in C:
            d = rules.unit_buys_cloud(profile, category)
            if name in L10 and category is C.CLOUD_SERVICES:
                assert (d.outcome, d.rule_id, d.article) == (Outcome.REFUSE, "L10", L10[name])
                assert "data bureau" in d.reason
            else:
                assert d is None, (name, category)


async def _contractor(fin, n):
    code = with_check_character(f"91510900MA6{n:06d}")
    body = {"name": f"云公司{n}", "credit_code": code, "qualifications": ["ITSS-2"]}
    return (await fin.call("POST", "/v1/contractors", json=body, expect=201)).json()


def _procurement(contractor, **kw):
    return {
        "project_id": "p1",
        "title": "政务云服务",
        "method": "public_tender",
        "amount": "200000.00",
        "contractor_id": contractor["id"],
        "awarded_on": dt.datetime.now(SHANGHAI).date().isoformat(),
        **kw,
    }


@pytest.mark.parametrize("profile", PROFILES)
async def test_cloud_procurement_refused_where_l10_applies_and_others_recorded(
    finance_for, profile
):
    fin = await finance_for(profile)
    await fin.project("p1", "2000000.00")
    contractor = await _contractor(fin, 1)
    cloud = _procurement(contractor, category="cloud_services")
    if profile in L10:
        # Whoever files it, the unit itself or finance for it: refused, nothing recorded.
        for token in (fin.unit_a, fin.officer):
            r = await fin.call("POST", "/v1/procurements", token, json=cloud, expect=422)
            [d] = r.json()["decisions"]
            assert (d["rule_id"], d["article"], d["outcome"]) == ("L10", L10[profile], "refuse")
        r = await fin.call("GET", "/v1/procurements", params={"project_id": "p1"}, expect=200)
        assert r.json()["items"] == []
        assert "govit.finance.procurement.recorded" not in await fin.emitted()
    else:
        r = await fin.call("POST", "/v1/procurements", fin.unit_a, json=cloud, expect=201)
        assert r.json()["category"] == "cloud_services"
        assert "L10" not in {d["rule_id"] for d in r.json()["decisions"]}
    # Not cloud: recorded everywhere, with no L10 decision; no category is "unspecified".
    for category in ("services", "goods", None):
        body = _procurement(contractor, title="系统建设")
        if category:
            body["category"] = category
        r = await fin.call("POST", "/v1/procurements", fin.unit_a, json=body, expect=201)
        assert r.json()["category"] == (category or "unspecified")
        assert "L10" not in {d["rule_id"] for d in r.json()["decisions"]}
