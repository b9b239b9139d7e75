"""Reading and writing catalog rows (never commits)."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.catalog.models import ProviderPlatform, Sku, SkuPrice
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.policy import PolicyProfile


async def get_sku(*, session: AsyncSession, code: str, lock: bool = False) -> Sku:
    """A SKU by code; 404 when unknown. With `lock`, the row is locked FOR UPDATE until the
    transaction ends and read after the lock: every writer of a SKU or of its prices locks it
    first, so two of them take turns (the second sees what the first committed)."""
    if lock:
        sku = await session.get(Sku, code, with_for_update=True, populate_existing=True)
    else:
        sku = await session.get(Sku, code)
    if sku is None:
        raise NotFound(f"SKU {code} not found")
    return sku


async def get_platform(*, session: AsyncSession, platform_id: str) -> ProviderPlatform:
    """A provider platform by id; 404 when unknown."""
    platform = await session.get(ProviderPlatform, platform_id)
    if platform is None:
        raise NotFound(f"provider platform {platform_id} not found")
    return platform


def prices_meeting(start: date, end: date | None):
    """The select of every SKU's prices on every platform whose range meets [start, end]."""
    q = select(SkuPrice).where(or_(SkuPrice.valid_to.is_(None), SkuPrice.valid_to >= start))
    return q if end is None else q.where(SkuPrice.valid_from <= end)


def prices_overlapping(sku_code: str, platform_id: str, start: date, end: date | None):
    """The select of a SKU's prices on a platform whose range meets [start, end]."""
    return prices_meeting(start, end).where(
        SkuPrice.sku_code == sku_code, SkuPrice.platform_id == platform_id
    )


async def price_on(
    *, session: AsyncSession, sku_code: str, platform_id: str, day: date
) -> SkuPrice | None:
    """The price in force for a SKU on a platform on a day, if any (409 if two are)."""
    q = prices_overlapping(sku_code, platform_id, day, day)
    found = (await session.scalars(q.order_by(SkuPrice.valid_from, SkuPrice.id).limit(2))).all()
    if len(found) > 1:
        raise _two_in_force(found[0], found[1], day)
    return found[0] if found else None


async def prices_on(*, session: AsyncSession, day: date) -> dict[tuple[str, str], SkuPrice]:
    """Every price in force on a day, by (SKU, platform), in one query: what `price_on` finds
    for each pair. The ranges of one SKU and platform never overlap (`flows.set_price` and
    `flows.close_price` check under the SKU's lock; the database refuses it too, 0028): if two
    are ever in force on one day, nothing is picked between them, the caller gets a 409 naming
    both (a bill must not depend on which row the database returns first)."""
    out: dict[tuple[str, str], SkuPrice] = {}
    q = prices_meeting(day, day).order_by(
        SkuPrice.sku_code, SkuPrice.platform_id, SkuPrice.valid_from, SkuPrice.id
    )
    for price in (await session.scalars(q)).all():
        key = (price.sku_code, price.platform_id)
        if key in out:
            raise _two_in_force(out[key], price, day)
        out[key] = price
    return out


def _two_in_force(a: SkuPrice, b: SkuPrice, day: date) -> Conflict:
    return Conflict(
        f"two prices of {a.sku_code} on {a.platform_id} are in force on {day} ({a.id} and "
        f"{b.id}): the catalog must hold one; close one of them first",
        price_ids=[a.id, b.id],
    )


async def check_items(
    *,
    session: AsyncSession,
    profile: PolicyProfile,
    items: list,
    service_mode: str,
    field: str = "items",
) -> None:
    """422 naming the line when an item names an unknown, retired or wrong-mode SKU; the
    service modes are L8's where the profile applies it (cited, with its refusal decision)."""
    for i, item in enumerate(items):
        sku = await session.get(Sku, item["sku"])
        if sku is None or not sku.active:
            raise InvalidInput(f"{field}.{i}.sku", f"no active SKU {item['sku']} in the catalog")
        if service_mode not in sku.service_modes:
            raise InvalidInput.by_rule(
                profile,
                f"{field}.{i}.sku",
                f"SKU {sku.code} is not offered in service mode {service_mode}",
                "L8",
                sku=sku.code,
                service_mode=service_mode,
            )


async def sizes(*, session: AsyncSession, items: list) -> dict[str, int]:
    """A resource's size per utilisation dimension (vCPU, memory GB, storage GB) from its SKUs."""
    out = {"vcpu": 0, "memory_gb": 0, "storage_gb": 0}
    field = {"cpu": "vcpu", "memory": "memory_gb", "storage": "storage_gb"}
    for item in items:
        sku = await session.get(Sku, item["sku"])
        if sku is not None and sku.dimension in field:
            out[field[sku.dimension]] += int(item["quantity"])
    return out
