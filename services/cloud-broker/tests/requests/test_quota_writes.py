"""A quota's write is one change and one event: a repeated PUT of the limit it already has, or
the loser of two identical PUTs at once, changes nothing and announces nothing (each used to
publish `quota.set` again, read without a lock)."""

import asyncio

from cloud_broker.requests import units
from cloud_broker.requests.schemas import QuotaWrite
from govit_kit.auth import Principal, Role

ADMIN = Principal("admin-1", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))
BODY = {"scope": "unit", "scope_id": "org-a", "sku": "ecs.vcpu"}


async def test_a_quota_is_set_once_per_change(broker):
    b = broker

    async def put(limit):
        r = await b.http.put("/v1/quotas", headers=b.admin, json={**BODY, "limit_quantity": limit})
        assert r.status_code == 200, r.text
        assert r.json()["limit_quantity"] == limit
        return r.json()

    quota = await put(10)
    await put(10)  # a repeat
    await put(20)
    assert await b.events(quota["id"]) == ["set", "set"]

    # Two PUTs of 30 at once: the second waits for the first's lock, then finds 30.
    db = b.running.runtime.db
    data = QuotaWrite(**BODY, limit_quantity=30)

    async def second():
        async with db.unit_of_work() as uow:
            return (await units.put_quota(uow=uow, who=ADMIN, data=data)).limit_quantity

    async with db.unit_of_work() as uow:
        await units.put_quota(uow=uow, who=ADMIN, data=data)
        task = asyncio.create_task(second())
        await asyncio.sleep(0.5)  # the second goes as far as it can before the first commits
    assert await task == 30
    assert await b.events(quota["id"]) == ["set", "set", "set"]
