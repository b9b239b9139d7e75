"""Quotas count what is pending, not only what is on the books (L5 where it applies, the bureau's
administrative quota elsewhere, checked the same way).

- A change's growth counts from its filing until it is applied or ends: two changes each
  fitting alone took the quota past its limit (each was checked against the other's current
  size), and the decision approved without looking again.
- Approval puts a request among the committed: it is checked there, so two accepted requests
  cannot both be approved past the quota (both were, then neither could be allocated)."""

import pytest

SUINING, WUHAI = "broker", "broker_wh"


@pytest.fixture(params=[SUINING, WUHAI])
def any_broker(request):
    """The broker where L5 applies (suining, SN C art13) and where it does not (wuhai: the
    bureau's administrative quota)."""
    return request.param, request.getfixturevalue(request.param)


def over_quota(kind: str, r) -> dict:
    """The quota's figures from a refusal: L5's decision, or the administrative 422."""
    assert r.status_code == 422, r.text
    body = r.json()
    if kind == SUINING:
        assert body["type"] == "/problems/rule-refused", body
        [l5] = [d for d in body["decisions"] if d["outcome"] == "refuse"]
        assert (l5["rule_id"], l5["article"]) == ("L5", "SN C art13"), l5
        return l5["figures"]
    assert body["type"] == "/problems/invalid-input", body
    assert "decisions" not in body, body
    assert body["errors"][0]["field"] == "items", body
    [figures] = body["quotas"]
    return figures


async def quota(b, limit: int) -> None:
    r = await b.http.put(
        "/v1/quotas",
        headers=b.admin,
        json={"scope": "unit", "scope_id": "org-a", "sku": "ecs.vcpu", "limit_quantity": limit},
    )
    assert r.status_code == 200, r.text


async def change(b, rid: str, vcpu: int):
    return await b.http.post(
        f"/v1/resource-requests/{rid}/changes",
        headers=b.unit(),
        json={"items": [{"sku": "ecs.vcpu", "quantity": vcpu}], "reason": "扩容"},
    )


async def test_a_pending_change_counts_at_its_size(any_broker):
    kind, b = any_broker
    await b.catalog()
    await quota(b, 20)
    await b.active_resource("r1", "org-a")  # 8 vCPU
    await b.active_resource("r2", "org-a")  # 8 vCPU: 16 of 20
    r = await change(b, "r1", 12)  # 12 + 8 = 20: fits
    assert r.status_code == 201, r.text
    first = r.json()["id"]
    # r1 may grow to 12 until its change ends: r2 to 12 would make 24.
    figures = over_quota(kind, await change(b, "r2", 12))
    assert (figures["committed"], figures["requested"], figures["limit"]) == (12, 12, 20)
    # A shrinking change needs no room.
    r = await change(b, "r2", 4)
    assert r.status_code == 201, r.text
    # A new request is refused on r1's change too: 12 + 8 committed.
    r = await b.http.post(
        "/v1/resource-requests",
        headers=b.unit(),
        json={
            "project_id": await b.approved_project() if kind == SUINING else None,
            "service_mode": "general",
            "items": [{"sku": "ecs.vcpu", "quantity": 1}],
            "materials": b.materials,
            "new_system": kind == SUINING,
        },
    )
    assert over_quota(kind, r)["committed"] == 20
    # The decision looks again: the quota was lowered since r1's change was filed.
    await quota(b, 19)
    r = await b.http.post(
        f"/v1/changes/{first}/decision", headers=b.admin, json={"approve": True, "reason": "ok"}
    )
    figures = over_quota(kind, r)
    assert (figures["committed"], figures["requested"], figures["limit"]) == (8, 12, 19)
    r = await b.http.get(f"/v1/changes/{first}", headers=b.admin)
    assert r.json()["status"] == "submitted", r.text
    # Room again: approved, and its L5 decision (where L5 applies) is on the event.
    await quota(b, 20)
    r = await b.http.post(
        f"/v1/changes/{first}/decision", headers=b.admin, json={"approve": True, "reason": "ok"}
    )
    assert r.status_code == 200 and r.json()["status"] == "approved", r.text


async def test_approval_checks_the_quota(any_broker):
    kind, b = any_broker
    await b.catalog()
    await quota(b, 10)
    if kind == SUINING:
        pid = await b.approved_project()
        a, c = [await b.file(pid, items=[{"sku": "ecs.vcpu", "quantity": 8}]) for _ in "ac"]
    else:
        a, c = [
            await b.file(None, items=[{"sku": "ecs.vcpu", "quantity": 8}], new_system=False)
            for _ in "ac"
        ]
    await b.to_approved(a["id"])
    await b.step(c["id"], "accept", b.admin)
    # 8 approved + 8 > 10: the second approval is refused, the request stays accepted.
    r = await b.http.post(f"/v1/resource-requests/{c['id']}/approve", headers=b.admin)
    figures = over_quota(kind, r)
    assert (figures["committed"], figures["requested"], figures["limit"]) == (8, 8, 10)
    r = await b.http.get(f"/v1/resource-requests/{c['id']}", headers=b.admin)
    assert r.json()["status"] == "accepted", r.text
    # The first is allocated (before, both were approved and neither could be allocated).
    r = await b.http.post(
        f"/v1/resource-requests/{a['id']}/allocate", headers=b.admin, json={"platform_id": "pa"}
    )
    assert r.status_code == 200 and r.json()["status"] == "allocated", r.text
