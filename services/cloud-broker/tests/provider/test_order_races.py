"""Concurrent writes on one work order (REST, real PostgreSQL): every provider action locks the
order row first (`acting_on`), so calls on one order take turns, and the order is always locked
before its request (complete, claim, fail and expire_leases alike: no deadlock)."""

import asyncio

from sqlalchemy import text

from .test_provider_rest import allocated, only_order


async def _queued(broker) -> tuple[str, str]:
    rid = await allocated(broker)
    return rid, (await only_order(broker))["id"]


async def test_a_claim_race_has_one_winner_and_a_clean_conflict(broker):
    """Two workers claim one queued order at once: one holds it, the other is told it is no
    longer queued (not a version conflict to retry, nor a 500); two identical completes sent at
    once (a provider retrying) both answer the one operation."""
    pa1 = broker.provider("pa")
    pa2 = broker.token("robot-pa-2", "org-pa", ["cloud_provider"], "pa")
    for trial in range(3):
        rid, oid = await _queued_for(broker, trial)
        claims = await asyncio.gather(
            *[
                broker.http.post(
                    f"/v1/provider/work-orders/{oid}/claim", headers=h, json={"lease_seconds": 60}
                )
                for h in (pa1, pa2)
            ]
        )
        assert sorted(r.status_code for r in claims) == [200, 409], [r.text for r in claims]
        [won] = [h for h, r in zip((pa1, pa2), claims, strict=True) if r.status_code == 200]
        [lost] = [r for r in claims if r.status_code == 409]
        assert "not queued" in lost.json()["detail"], lost.text
        assert lost.json()["state"] == "claimed", lost.text

        done = {"resource_ids": [f"vm-{trial}"]}
        completes = await asyncio.gather(
            *[
                broker.http.post(f"/v1/provider/work-orders/{oid}/complete", headers=won, json=done)
                for _ in range(2)
            ]
        )
        assert [r.status_code for r in completes] == [202, 202], [r.text for r in completes]
        assert completes[0].json()["id"] == completes[1].json()["id"]
        r = await broker.http.get(f"/v1/resource-requests/{rid}", headers=broker.unit())
        assert r.json()["status"] == "configured", r.text


async def _queued_for(broker, trial: int) -> tuple[str, str]:
    if trial == 0:
        return await _queued(broker)
    pid = await broker.approved_project()
    rid = (await broker.file(pid))["id"]
    await broker.to_approved(rid)
    await broker.step(rid, "allocate", broker.admin, platform_id="pa")
    r = await broker.http.get(
        "/v1/provider/work-orders", headers=broker.provider("pa"), params={"status": "queued"}
    )
    [oid] = [o["id"] for o in r.json()["items"] if o["request_id"] == rid]
    return rid, oid


async def test_complete_locks_the_order_before_its_request(broker):
    """S1: while another transaction holds the order (as expire_leases does, then requeueing
    the request), a complete waits for the order without having touched the request, so the
    other can still take the request: the two wait on each other in no cycle. (Before, complete
    updated the request first and then waited for the order: a deadlock with expire_leases.)"""
    pa = broker.provider("pa")
    rid, oid = await _queued(broker)
    r = await broker.http.post(
        f"/v1/provider/work-orders/{oid}/claim", headers=pa, json={"lease_seconds": 60}
    )
    assert r.status_code == 200, r.text
    engine = broker.running.runtime.db.engine
    async with engine.connect() as holder:
        await holder.begin()
        await holder.execute(
            text("SELECT id FROM work_order WHERE id = :id FOR UPDATE"), {"id": oid}
        )
        complete = asyncio.create_task(
            broker.http.post(
                f"/v1/provider/work-orders/{oid}/complete",
                headers=pa,
                json={"resource_ids": ["vm-s1"]},
            )
        )
        await asyncio.sleep(1.0)
        assert not complete.done()  # it waits for the order
        async with engine.connect() as other:
            await other.begin()
            # NOWAIT: fails at once (55P03) if the waiting complete already holds the request.
            await other.execute(
                text("SELECT id FROM resource_request WHERE id = :id FOR UPDATE NOWAIT"),
                {"id": rid},
            )
            await other.rollback()
        await holder.rollback()
    r = await complete
    assert r.status_code == 202, r.text
