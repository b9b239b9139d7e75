"""The catalog's one-price-in-force rule in the database (0028) on both backends, and what a
reader does if two prices were ever in force on one day.

- 0028 refuses to run over prices that already overlap, naming each pair (which one stands
  changes money: the bureau decides), and runs once they do not.
- It adds the backstop: PostgreSQL's exclusion constraint, SQLite's triggers.
- It records the months billed before (bill lines, or only a close in the outbox), so a run
  of one of them is still refused.
- `prices_on` (the billing run's prices) kept whichever row came first; now two in force on
  one day are a 409 naming both, never a silent pick."""

import asyncio
import importlib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from cloud_broker.catalog import service
from cloud_broker.catalog.models import ProviderPlatform, SkuPrice
from cloud_broker.db import Base
from govit_kit import migrations
from govit_kit.db import Database
from govit_kit.errors import Conflict

PRICE = sa.text(
    "INSERT INTO sku_price (id, sku_code, platform_id, unit_price, valid_from, valid_to, "
    "created_by, version) VALUES (:id, :sku, 'pa', 1, :f, :t, 'x', 1)"
).bindparams(sa.bindparam("f", type_=sa.Date), sa.bindparam("t", type_=sa.Date))


def price(id_, sku, f, t=None) -> dict:
    day = date.fromisoformat
    return dict(id=id_, sku=sku, f=day(f), t=t and day(t))


async def url_for(kind, databases, tmp_path) -> str:
    if kind == "postgresql":
        return await databases.create("broker_0028")
    return f"sqlite+aiosqlite:///{tmp_path / 'broker-0028.db'}"


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_0028_refuses_overlaps_then_guards_prices_and_months(kind, databases, tmp_path):
    spec = importlib.import_module("cloud_broker.main").spec()
    url = await url_for(kind, databases, tmp_path)
    await asyncio.to_thread(migrations.upgrade, spec, url, "0026")
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO provider_platform (id, name, created_at) "
                "VALUES ('pa', 'PA', '2026-01-01 00:00:00+00')"
            )
        )
        for id_, sku, f, t in (
            ("p-1", "ecs.vcpu", "2020-01-01", None),
            ("p-2", "ecs.vcpu", "2025-01-01", "2025-12-31"),  # inside p-1's open range
            ("p-3", "ecs.memory", "2020-01-01", "2024-12-31"),
            ("p-4", "ecs.memory", "2025-01-01", None),  # follows p-3: fine
        ):
            await conn.execute(PRICE, price(id_, sku, f, t))
    with pytest.raises(RuntimeError) as refused:
        await asyncio.to_thread(migrations.upgrade, spec, url)
    message = str(refused.value)
    assert "p-1" in message and "p-2" in message and "ecs.vcpu on pa" in message, message
    assert "p-3" not in message and "p-4" not in message
    async with engine.begin() as conn:
        assert (
            await conn.execute(sa.text("SELECT version_num FROM alembic_version"))
        ).scalar() == "0026"
        # The bureau closes p-1 before p-2 begins; months billed before: 2026-09 with lines,
        # 2026-10 with nothing to bill (only its close, in the outbox).
        await conn.execute(sa.text("UPDATE sku_price SET valid_to = '2024-12-31' WHERE id = 'p-1'"))
        await conn.execute(
            sa.text(
                "INSERT INTO bill_line (id, period, org_id, platform_id, service_mode, amount, "
                "usage_lines, unit_level, unit_funding, created_at) VALUES "
                "('l-1', '2026-09', 'org-a', 'pa', 'general', 10, 1, 'city', 'full', "
                "'2026-10-02 01:00:00+00'), "
                "('l-2', '2026-09', 'org-b', 'pa', 'general', 10, 1, 'city', 'full', "
                "'2026-10-02 01:00:00+00')"
            )
        )
        for n, period in enumerate(("2026-09", "2026-10")):
            await conn.execute(
                sa.text(
                    "INSERT INTO outbox (event_id, nats_subject, event_type, source, subject, "
                    "event_time, payload_type, payload, attempts) VALUES (:id, 'x', "
                    "'govit.cloud_broker.billing_month.closed', '/govit/cloud_broker', :period, "
                    ":at, 'x', :payload, 0)"
                ),
                dict(
                    id=f"e-{n}",
                    period=period,
                    at=datetime(2026, 10 + n, 2, 1, 0, 5, tzinfo=UTC),
                    payload=b"",
                ),
            )
    await asyncio.to_thread(migrations.upgrade, spec, url)
    async with engine.connect() as conn:
        months = (
            await conn.execute(
                sa.text(
                    "SELECT period, closed_by, bill_lines, unpriced FROM billing_month "
                    "ORDER BY period"
                )
            )
        ).all()
    assert [tuple(m) for m in months] == [("2026-09", "", 2, None), ("2026-10", "", 0, None)]

    # The backstop: an insert, or an update, that would put two prices in force on one day.
    for statement, params in (
        (PRICE, price("p-5", "ecs.vcpu", "2025-12-31")),
        (PRICE, price("p-6", "ecs.memory", "2019-01-01", "2020-01-01")),
        (sa.text("UPDATE sku_price SET valid_to = '2025-01-01' WHERE id = 'p-1'"), {}),
        (sa.text("UPDATE sku_price SET valid_from = '2024-12-31' WHERE id = 'p-4'"), {}),
    ):
        with pytest.raises(sa.exc.IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(statement, params)
    async with engine.begin() as conn:  # what does not overlap still goes in
        await conn.execute(PRICE, price("p-7", "ecs.vcpu", "2026-01-01"))
        await conn.execute(PRICE, price("p-8", "evs.storage", "2020-01-01"))
        await conn.execute(sa.text("UPDATE sku_price SET valid_to = '2024-06-30' WHERE id = 'p-1'"))
    await engine.dispose()


async def test_two_prices_in_force_are_never_picked_between(tmp_path):
    # Tables without 0028's backstop, so the overlap the service must not pick from exists.
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'b.db'}", Base.metadata, service="cb")
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.execute(
            sa.text(
                "INSERT INTO sku (code, name, unit, service_modes, dimension, "
                "active, created_at) VALUES ('ecs.vcpu', 'v', 'vCPU', '[]', "
                "'cpu', 1, '2026-01-01 00:00:00')"
            )
        )
    async with db.unit_of_work() as uow:
        uow.session.add(ProviderPlatform(id="pa", name="PA"))
        await uow.session.flush()
        for id_, f in (("a", date(2020, 1, 1)), ("b", date(2025, 1, 1))):
            uow.session.add(
                SkuPrice(
                    id=id_,
                    sku_code="ecs.vcpu",
                    platform_id="pa",
                    unit_price=Decimal("1"),
                    valid_from=f,
                    created_by="x",
                )
            )
    async with db.sessions() as s:
        before = await service.prices_on(session=s, day=date(2024, 6, 1))
        assert {k: p.id for k, p in before.items()} == {("ecs.vcpu", "pa"): "a"}
        for read in (
            service.prices_on(session=s, day=date(2025, 6, 1)),
            service.price_on(
                session=s, sku_code="ecs.vcpu", platform_id="pa", day=date(2025, 6, 1)
            ),
        ):
            with pytest.raises(Conflict) as two:
                await read
            assert two.value.extensions == {"price_ids": ["a", "b"]}
    await db.engine.dispose()
