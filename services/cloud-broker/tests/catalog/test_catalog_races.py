"""The catalog's invariants hold under concurrency and repeats.

- The price ranges of one SKU and platform never overlap: two administrators setting
  overlapping prices at once were both stored (201, 201), and closing a price later than it
  ended could stretch it over the next one; a month's bill then took whichever price the
  database returned first.
- A SKU is retired once: four retirements at once could all answer 200 and leave four
  `sku_retired` events.
- Closing a price on the day it already ends announces nothing a second time."""

import asyncio
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cloud_broker.catalog import flows
from cloud_broker.catalog.schemas import SkuPriceCreate
from govit_kit.auth import Principal, Role
from govit_kit.errors import Conflict

ADMIN = Principal("admin-1", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))
ADMIN2 = Principal("admin-2", "data-bureau", frozenset({Role.BUREAU_CLOUD_ADMIN}))


async def prices(b, sku="ecs.vcpu", platform="pa", **params):
    r = await b.http.get(
        f"/v1/catalog/skus/{sku}/prices",
        headers=b.admin,
        params={"platform_id": platform, **params},
    )
    assert r.status_code == 200, r.text
    return r.json()


async def close(b, price_id, valid_to):
    return await b.http.post(
        f"/v1/catalog/prices/{price_id}/close", headers=b.admin, json={"valid_to": valid_to}
    )


async def held(db, first, second):
    """`first` in a unit of work, and `second` in another started before the first commits;
    returns what the second returned or raised. Without a lock the second reads the state the
    first has not committed yet, and both go through."""

    async def run_second():
        try:
            async with db.unit_of_work() as uow:
                return await second(uow)
        except Exception as exc:  # noqa: BLE001 - the answer under test
            return exc

    async with db.unit_of_work() as uow:
        await first(uow)
        task = asyncio.create_task(run_second())
        await asyncio.sleep(0.5)  # the second goes as far as it can before the first commits
    return await task


async def test_two_overlapping_prices_at_once_one_is_stored(broker):
    b = broker
    await b.catalog(platforms=("pa",))
    [standard] = await prices(b)
    assert (await close(b, standard["id"], "2024-12-31")).status_code == 200
    db = b.running.runtime.db
    one = SkuPriceCreate(platform_id="pa", unit_price="100.00", valid_from=date(2025, 1, 1))
    other = SkuPriceCreate(platform_id="pa", unit_price="999.00", valid_from=date(2025, 6, 1))
    stored = {}

    async def first(uow):
        stored["first"] = await flows.set_price(uow=uow, who=ADMIN, sku_code="ecs.vcpu", data=one)

    async def second(uow):
        return await flows.set_price(uow=uow, who=ADMIN2, sku_code="ecs.vcpu", data=other)

    answer = await held(db, first, second)
    assert isinstance(answer, Conflict), answer
    assert answer.extensions["price_id"] == stored["first"].id  # the second saw the first's
    in_force = await prices(b, on="2025-07-01")
    assert [(x["unit_price"], x["valid_from"]) for x in in_force] == [("100.00", "2025-01-01")]

    assert (await close(b, stored["first"].id, "2025-12-31")).status_code == 200
    # Over REST, rounds of two at once: one 201 and one 409 each time.
    for year in (2026, 2027, 2028):
        a, c = await asyncio.gather(
            b.http.post(
                "/v1/catalog/skus/ecs.vcpu/prices",
                headers=b.admin,
                json={"platform_id": "pa", "unit_price": "100.00", "valid_from": f"{year}-01-01"},
            ),
            b.http.post(
                "/v1/catalog/skus/ecs.vcpu/prices",
                headers=b.admin2,
                json={"platform_id": "pa", "unit_price": "999.00", "valid_from": f"{year}-01-01"},
            ),
        )
        assert sorted((a.status_code, c.status_code)) == [201, 409], (a.text, c.text)
        [open_] = [x for x in await prices(b) if x["valid_to"] is None]
        assert (await close(b, open_["id"], f"{year}-12-31")).status_code == 200
    for day in ("2026-06-01", "2027-06-01", "2028-06-01"):
        assert len(await prices(b, on=day)) == 1


async def test_a_close_cannot_stretch_a_price_over_the_next(broker):
    b = broker
    await b.catalog(platforms=("pa",))
    [first] = await prices(b)
    assert (await close(b, first["id"], "2024-12-31")).status_code == 200
    r = await b.http.post(
        "/v1/catalog/skus/ecs.vcpu/prices",
        headers=b.admin,
        json={"platform_id": "pa", "unit_price": "999.00", "valid_from": "2025-01-01"},
    )
    assert r.status_code == 201, r.text
    later = r.json()
    r = await close(b, first["id"], "2030-12-31")
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "valid_to"
    assert r.json()["price_id"] == later["id"]
    assert later["id"] in r.json()["detail"]
    assert [x["unit_price"] for x in await prices(b, on="2026-06-01")] == ["999.00"]
    # Earlier is fine, and so is later up to the day before the next price.
    assert (await close(b, first["id"], "2024-06-30")).status_code == 200
    r = await close(b, first["id"], "2024-12-31")
    assert r.status_code == 200 and r.json()["valid_to"] == "2024-12-31"


async def test_a_repeated_close_announces_nothing(broker):
    b = broker
    await b.catalog(platforms=("pa",))
    [price] = await prices(b)
    for _ in range(2):
        r = await close(b, price["id"], "2024-12-31")
        assert r.status_code == 200 and r.json()["valid_to"] == "2024-12-31", r.text
    assert await b.events(price["id"]) == ["price_set", "price_set"]  # set, closed once


async def test_four_retirements_at_once_retire_once(broker):
    b = broker
    await b.catalog(platforms=("pa",))
    db = b.running.runtime.db

    async def first(uow):
        await flows.retire_sku(uow=uow, who=ADMIN, code="ecs.memory")

    async def second(uow):
        return await flows.retire_sku(uow=uow, who=ADMIN2, code="ecs.memory")

    answer = await held(db, first, second)
    assert isinstance(answer, Conflict) and answer.extensions == {"state": "retired"}, answer
    assert await b.events("ecs.memory") == ["sku_retired"]

    answers = await asyncio.gather(
        *[b.http.post("/v1/catalog/skus/evs.storage/retire", headers=b.admin) for _ in range(4)]
    )
    assert sorted(r.status_code for r in answers) == [200, 409, 409, 409]
    assert await b.events("evs.storage") == ["sku_retired"]


async def test_the_database_refuses_overlapping_prices(broker):
    """The backstop (0028): a write that skips the flows' check is refused by PostgreSQL."""
    from cloud_broker.catalog.models import SkuPrice

    b = broker
    await b.catalog(platforms=("pa",))
    db = b.running.runtime.db
    refused = None
    try:
        async with db.unit_of_work() as uow:
            uow.session.add(
                SkuPrice(
                    sku_code="ecs.vcpu",
                    platform_id="pa",
                    unit_price=Decimal("1.00"),
                    valid_from=date(2030, 1, 1),
                    created_by="x",
                )
            )
    except Exception as exc:  # noqa: BLE001
        refused = exc
    assert refused is not None and "ex_sku_price_one_in_force" in str(refused)
    async with db.sessions() as s:
        rows = (await s.scalars(select(SkuPrice).where(SkuPrice.sku_code == "ecs.vcpu"))).all()
    assert len(rows) == 1
