"""Refusals cite a rule only where the profile applies it, with its article and, for a 422, its
refusal decision (L8 service modes, L3 county authority); a rule not in force is not named."""

import pytest


async def _refused_mode(b) -> dict:
    """File a 托管 request for a SKU offered only as cloud service: the catalog refuses it."""
    await b.catalog()
    pid = await b.approved_project()
    r = await b.http.post(
        "/v1/resource-requests",
        headers=b.unit(),
        json={
            "project_id": pid,
            "service_mode": "managed",
            "items": [{"sku": "ecs.vcpu", "quantity": 8}],
            "materials": b.materials,
        },
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "items.0.sku"
    return r.json()


async def test_a_sku_outside_its_service_mode_cites_l8_where_it_applies(broker):
    body = await _refused_mode(broker)
    assert body["detail"].endswith("(L8 (SN C art7))"), body
    [d] = body["decisions"]
    assert (d["rule_id"], d["article"], d["outcome"]) == ("L8", "SN C art7", "refuse")


async def test_a_sku_outside_its_service_mode_names_no_l8_where_it_does_not_apply(broker_pds):
    """PDS has no L8: the catalog's own check, citing no rule (before: "(L8)")."""
    body = await _refused_mode(broker_pds)
    assert "L8" not in body["detail"] and "decisions" not in body, body
    modes = await broker_pds.http.get("/v1/catalog/service-modes", headers=broker_pds.unit())
    assert {(m["rule_id"], m["article"]) for m in modes.json()} == {("", "")}


async def _county_without_authority(b) -> dict:
    r = await b.http.put(
        "/v1/units/org-c", headers=b.admin, json={"name": "县教育局", "level": "county"}
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "county_authority_org"
    return r.json()


async def test_a_county_unit_without_its_authority_cites_l3_where_it_applies(broker):
    body = await _county_without_authority(broker)
    assert body["detail"].endswith("(L3 (SN C art12))"), body
    assert [(d["rule_id"], d["article"]) for d in body["decisions"]] == [("L3", "SN C art12")]


async def test_a_county_unit_without_its_authority_names_no_l3_where_it_does_not_apply(
    broker_wh,
):
    body = await _county_without_authority(broker_wh)
    assert "L3" not in body["detail"] and "decisions" not in body, body


async def test_a_plan_approval_of_a_general_request_cites_l8(broker):
    await broker.catalog()
    req = await broker.file(await broker.approved_project())
    r = await broker.http.post(
        f"/v1/resource-requests/{req['id']}/plan-approval", headers=broker.admin
    )
    assert r.status_code == 409, r.text
    assert r.json()["detail"].endswith("(L8 (SN C art7))"), r.text


def test_county_review_conflicts_cite_l3_only_where_it_applies():
    """The county step's 409s: L3 with its article where it applies (before: "(L3)", and under
    a profile without L3 "(L3)" all the same)."""
    from types import SimpleNamespace

    from cloud_broker.requests.flows import _county_step
    from govit_kit.errors import Conflict
    from govit_kit.policy import load_profile

    req = SimpleNamespace(status="submitted")
    for name, cited in (("suining", " (L3 (SN C art12))"), ("wuhai", "")):
        rt = SimpleNamespace(profile=load_profile(name))
        with pytest.raises(Conflict) as caught:
            _county_step(rt, req, "county_forward", county=False)
        assert caught.value.detail == (
            f"only a county unit's request goes through county review{cited}"
        )
