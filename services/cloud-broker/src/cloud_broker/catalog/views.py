"""REST endpoints of the catalog: everyone signed in reads it, cloud administrators manage it."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from cloud_broker.catalog import flows, service
from cloud_broker.catalog.models import ProviderPlatform, Sku, SkuPrice
from cloud_broker.catalog.schemas import (
    ProviderPlatformCreate,
    ProviderPlatformRead,
    ServiceModeRead,
    SkuCreate,
    SkuPriceCreate,
    SkuPriceRead,
    SkuRead,
)
from cloud_broker.requests.enums import MODE_NAMES, ServiceMode
from govit_kit.http import CurrentPrincipal, CurrentRuntime

router = APIRouter(prefix="/v1/catalog", tags=["catalog"])


@router.get("/service-modes", response_model=list[ServiceModeRead])
async def list_service_modes(who: CurrentPrincipal, rt: CurrentRuntime):
    """The L8 service modes; 专享 needs its plan approved before allocation. Where the
    profile has no L8 the modes rest on no rule: no rule id, no article."""
    applies = rt.profile.applies("L8")
    return [
        ServiceModeRead(
            mode=m,
            name=MODE_NAMES[m],
            needs_plan_approval=m is ServiceMode.DEDICATED and applies,
            rule_id="L8" if applies else "",
            article=rt.profile.rule("L8").article or "",
        )
        for m in ServiceMode
    ]


@router.get("/platforms", response_model=list[ProviderPlatformRead])
async def list_platforms(who: CurrentPrincipal, rt: CurrentRuntime):
    """The provider platforms."""
    async with rt.db.sessions() as session:
        return (await session.scalars(select(ProviderPlatform).order_by(ProviderPlatform.id))).all()


@router.post("/platforms", status_code=201, response_model=ProviderPlatformRead)
async def add_platform(body: ProviderPlatformCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Register a provider platform (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.add_platform(uow=uow, who=who, data=body)


@router.get("/skus", response_model=list[SkuRead])
async def list_skus(
    who: CurrentPrincipal, rt: CurrentRuntime, service_mode: ServiceMode | None = None
):
    """The SKUs (a catalog is short: one list), optionally those offered in one service mode."""
    async with rt.db.sessions() as session:
        rows = (await session.scalars(select(Sku).order_by(Sku.code))).all()
    return [r for r in rows if service_mode is None or service_mode.value in r.service_modes]


@router.post("/skus", status_code=201, response_model=SkuRead)
async def add_sku(body: SkuCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Add a SKU (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.add_sku(uow=uow, who=who, data=body)


@router.get("/skus/{code}", response_model=SkuRead)
async def get_sku(code: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """One SKU."""
    async with rt.db.sessions() as session:
        return await service.get_sku(session=session, code=code)


@router.post("/skus/{code}/retire", response_model=SkuRead)
async def retire_sku(code: str, who: CurrentPrincipal, rt: CurrentRuntime):
    """Take a SKU out of new requests (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.retire_sku(uow=uow, who=who, code=code)


@router.get("/skus/{code}/prices", response_model=list[SkuPriceRead])
async def list_prices(
    code: str,
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    platform_id: Annotated[str | None, Query(max_length=64)] = None,
    on: date | None = None,
):
    """A SKU's prices, optionally on one platform and in force on one day."""
    async with rt.db.sessions() as session:
        await service.get_sku(session=session, code=code)
        q = select(SkuPrice).where(SkuPrice.sku_code == code)
        if platform_id:
            q = q.where(SkuPrice.platform_id == platform_id)
        if on is not None:
            q = q.where(SkuPrice.valid_from <= on).where(
                (SkuPrice.valid_to.is_(None)) | (SkuPrice.valid_to >= on)
            )
        return (await session.scalars(q.order_by(SkuPrice.platform_id, SkuPrice.valid_from))).all()


@router.post("/skus/{code}/prices", status_code=201, response_model=SkuPriceRead)
async def set_price(code: str, body: SkuPriceCreate, who: CurrentPrincipal, rt: CurrentRuntime):
    """Price a SKU on a platform over a date range (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.set_price(uow=uow, who=who, sku_code=code, data=body)


class PriceClose(BaseModel):
    """The last day a price is in force."""

    model_config = ConfigDict(extra="forbid")

    valid_to: date


@router.post("/prices/{price_id}/close", response_model=SkuPriceRead)
async def close_price(price_id: str, body: PriceClose, who: CurrentPrincipal, rt: CurrentRuntime):
    """End a price on a day (cloud administrators)."""
    async with rt.db.unit_of_work() as uow:
        return await flows.close_price(uow=uow, who=who, price_id=price_id, valid_to=body.valid_to)
