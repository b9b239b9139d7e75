"""Use cases of the catalog: the cloud administrators manage it; each change is one event."""

from cloud_broker.catalog import service
from cloud_broker.catalog.models import ProviderPlatform, Sku, SkuPrice
from cloud_broker.catalog.schemas import ProviderPlatformCreate, SkuCreate, SkuPriceCreate
from govit.cloud_broker.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_money
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.uow import UnitOfWork


async def add_platform(
    *, uow: UnitOfWork, who: Principal, data: ProviderPlatformCreate
) -> ProviderPlatform:
    """Register a provider platform (one of the "N")."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if await uow.session.get(ProviderPlatform, data.id) is not None:
        raise Conflict(f"provider platform {data.id} exists")
    platform = ProviderPlatform(id=data.id, name=data.name)
    uow.session.add(platform)
    await uow.session.flush()
    await uow.emit(
        "catalog",
        "platform_added",
        events_pb2.ProviderPlatformAdded(platform_id=platform.id, name=platform.name),
        subject=platform.id,
    )
    return platform


async def add_sku(*, uow: UnitOfWork, who: Principal, data: SkuCreate) -> Sku:
    """Add a SKU to the catalog."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    if await uow.session.get(Sku, data.code) is not None:
        raise Conflict(f"SKU {data.code} exists")
    sku = Sku(
        code=data.code,
        name=data.name,
        unit=data.unit,
        service_modes=[m.value for m in data.service_modes],
        dimension=data.dimension,
        active=True,
    )
    uow.session.add(sku)
    await uow.session.flush()
    await uow.emit(
        "catalog",
        "sku_added",
        events_pb2.SkuAdded(
            sku=sku.code, name=sku.name, unit=sku.unit, service_modes=sku.service_modes
        ),
        subject=sku.code,
    )
    return sku


async def retire_sku(*, uow: UnitOfWork, who: Principal, code: str) -> Sku:
    """Take a SKU out of new requests (existing resources keep it). The SKU is locked before it
    is read: of two retirements at once one retires it, the other waits and gets the 409."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    sku = await service.get_sku(session=uow.session, code=code, lock=True)
    if not sku.active:
        raise Conflict(f"SKU {code} is already retired", state="retired")
    sku.active = False
    await uow.emit("catalog", "sku_retired", events_pb2.SkuRetired(sku=code), subject=code)
    return sku


async def set_price(
    *, uow: UnitOfWork, who: Principal, sku_code: str, data: SkuPriceCreate
) -> SkuPrice:
    """Price a SKU on a platform over a date range; ranges of one SKU and platform never overlap.

    The SKU is locked first (every writer of its prices does so, `close_price` too), so two
    administrators pricing it at once take turns: the second sees the first's price and gets
    the 409 instead of both being stored (a month's bill would then take either)."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    await service.get_sku(session=uow.session, code=sku_code, lock=True)
    await service.get_platform(session=uow.session, platform_id=data.platform_id)
    clash = await _clash(uow, sku_code, data.platform_id, data.valid_from, data.valid_to)
    if clash is not None:
        raise Conflict(
            f"a price of {sku_code} on {data.platform_id} is already in force from "
            f"{clash.valid_from} to {clash.valid_to or 'open'}; close it first",
            price_id=clash.id,
        )
    price = SkuPrice(
        sku_code=sku_code,
        platform_id=data.platform_id,
        unit_price=data.unit_price,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        created_by=who.subject,
    )
    uow.session.add(price)
    await uow.session.flush()
    await uow.emit("catalog", "price_set", _price_event(price), subject=price.id)
    return price


async def close_price(*, uow: UnitOfWork, who: Principal, price_id: str, valid_to) -> SkuPrice:
    """End an open or later-ending price on a day (a new price may then follow it), or move its
    end later as long as it then meets no other price of the SKU on the platform (422 naming
    `valid_to` and that price). Closing it on the day it already ends changes nothing and
    announces nothing (a repeat). Under the SKU's lock, as `set_price`."""
    who.require(Role.BUREAU_CLOUD_ADMIN)
    price = await uow.session.get(SkuPrice, price_id)
    if price is None:
        raise NotFound(f"price {price_id} not found")
    await service.get_sku(session=uow.session, code=price.sku_code, lock=True)
    # Read again under the lock: a concurrent close of this price has committed by now.
    price = await uow.session.get(SkuPrice, price_id, populate_existing=True)
    if valid_to < price.valid_from:
        raise InvalidInput("valid_to", "is before the price's valid_from")
    if price.valid_to == valid_to:
        return price
    clash = await _clash(uow, price.sku_code, price.platform_id, price.valid_from, valid_to, price)
    if clash is not None:
        raise InvalidInput(
            "valid_to",
            f"ending on {valid_to}, the price would meet price {clash.id} of {price.sku_code} on "
            f"{price.platform_id} in force from {clash.valid_from} to "
            f"{clash.valid_to or 'open'}; end it before {clash.valid_from}",
            price_id=clash.id,
        )
    price.valid_to = valid_to
    await uow.session.flush()
    await uow.emit("catalog", "price_set", _price_event(price), subject=price.id)
    return price


async def _clash(uow, sku_code, platform_id, valid_from, valid_to, other_than=None):
    """The first other price of the SKU on the platform whose range meets [from, to], if any."""
    q = service.prices_overlapping(sku_code, platform_id, valid_from, valid_to)
    if other_than is not None:
        q = q.where(SkuPrice.id != other_than.id)
    return await uow.session.scalar(q.order_by(SkuPrice.valid_from, SkuPrice.id).limit(1))


def _price_event(price: SkuPrice) -> events_pb2.SkuPriceSet:
    return events_pb2.SkuPriceSet(
        price_id=price.id,
        sku=price.sku_code,
        platform_id=price.platform_id,
        unit_price=to_money(price.unit_price),
        valid_from=price.valid_from.isoformat(),
        valid_to=price.valid_to.isoformat() if price.valid_to else "",
    )
