"""Quotas where L5 does not apply (wuhai, yunyang, xianyang: no cloud regulation): the bureau
may still set them, as its administrative limit, not a rule. Going past one at submission,
allocation or a growing change is a 422 `invalid-input` naming `items` that says it is the
bureau's quota, with no decision and no article (it was a 500: the L5 refusal was made on a
rule the profile does not apply)."""

import pytest

from cloud_broker.requests import rules
from govit_kit.policy import Outcome, load_profile


@pytest.mark.parametrize("profile", ["wuhai", "yunyang", "xianyang"])
def test_no_l5_decision_where_l5_does_not_apply(profile):
    p = load_profile(profile)
    assert rules.quota(p, "unit org-a", "ecs.vcpu", 10, 8, 3) is None
    assert rules.quota(p, "unit org-a", "ecs.vcpu", 10, 8, 2) is None
    assert rules.quota_excess("unit org-a", "ecs.vcpu", 10, 8, 2) is None
    assert "exceeds the unit org-a quota of 10" in rules.quota_excess(
        "unit org-a", "ecs.vcpu", 10, 8, 3
    )


def test_l5_still_refuses_where_it_applies():
    d = rules.quota(load_profile("pingdingshan"), "unit org-a", "ecs.vcpu", 10, 8, 3)
    assert (d.rule_id, d.article, d.outcome) == ("L5", "PDS C art9", Outcome.REFUSE)


def _over_quota(r, sku="ecs.vcpu") -> dict:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["type"] == "/problems/invalid-input", body
    assert "decisions" not in body, body
    [error] = body["errors"]
    assert error["field"] == "items", body
    assert "the bureau's quota" in error["message"] and "not a rule" in error["message"], body
    assert sku in error["message"], body
    return body


async def test_bureau_quota_is_an_administrative_limit_where_l5_does_not_apply(broker_wh):
    b = broker_wh
    await b.catalog()

    async def quota(limit):
        r = await b.http.put(
            "/v1/quotas",
            headers=b.admin,
            json={"scope": "unit", "scope_id": "org-a", "sku": "ecs.vcpu", "limit_quantity": limit},
        )
        assert r.status_code == 200, r.text

    await quota(10)
    existing = {"project_id": None, "new_system": False}

    # Submission past the quota.
    body = _over_quota(
        await b.http.post(
            "/v1/resource-requests",
            headers=b.unit(),
            json={
                **existing,
                "service_mode": "general",
                "items": [{"sku": "ecs.vcpu", "quantity": 11}],
                "materials": b.materials,
            },
        )
    )
    [q] = body["quotas"]
    assert (q["scope"], q["limit"], q["committed"], q["requested"]) == ("unit org-a", 10, 0, 11)

    # Within it: filed, and no L5 refusal or article anywhere.
    a = await b.file(None, items=[{"sku": "ecs.vcpu", "quantity": 8}], new_system=False)
    assert all(d["outcome"] != "refuse" for d in a["decisions"]), a
    c = await b.file(None, items=[{"sku": "ecs.vcpu", "quantity": 2}], new_system=False)
    await b.to_approved(a["id"])
    await b.to_approved(c["id"])

    # Allocation past a quota lowered since: 8 approved + 2 > 9.
    await quota(9)
    r = await b.http.post(
        f"/v1/resource-requests/{c['id']}/allocate", headers=b.admin, json={"platform_id": "pa"}
    )
    assert _over_quota(r)["quotas"][0]["committed"] == 8
    await quota(10)
    r = await b.http.post(
        f"/v1/resource-requests/{c['id']}/allocate", headers=b.admin, json={"platform_id": "pa"}
    )
    assert r.status_code == 200 and r.json()["status"] == "allocated", r.text

    # A change growing an active resource past the quota (8 active + 10 committed).
    await b.active_resource("r-active", "org-a")
    await quota(18)
    r = await b.http.post(
        "/v1/resource-requests/r-active/changes",
        headers=b.unit(),
        json={"items": [{"sku": "ecs.vcpu", "quantity": 9}], "reason": "扩容"},
    )
    _over_quota(r)
    r = await b.http.post(
        "/v1/resource-requests/r-active/changes",
        headers=b.unit(),
        json={
            "items": [{"sku": "ecs.vcpu", "quantity": 8}, {"sku": "evs.storage", "quantity": 1}],
            "reason": "扩容",
        },
    )
    assert r.status_code == 201, r.text
