"""Reading and writing catalog rows (never commits)."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.catalog.models import ProviderPlatform, Sku, SkuPrice
from govit_kit.errors import InvalidInput, NotFound
from govit_kit.policy import PolicyProfile


async def get_sku(*, session: AsyncSession, code: str) -> Sku:
    """A SKU by code; 404 when unknown."""
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
    """The price in force for a SKU on a platform on a day, if any."""
    return await session.scalar(prices_overlapping(sku_code, platform_id, day, day))


async def prices_on(*, session: AsyncSession, day: date) -> dict[tuple[str, str], SkuPrice]:
    """Every price in force on a day, by (SKU, platform), in one query: what `price_on` finds
    for each pair (the ranges of one SKU and platform never overlap, `flows.set_price`)."""
    out: dict[tuple[str, str], SkuPrice] = {}
    for price in (await session.scalars(prices_meeting(day, day))).all():
        out.setdefault((price.sku_code, price.platform_id), price)
    return out


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
