"""REST shapes of the service catalog."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from cloud_broker.requests.enums import ServiceMode

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ProviderPlatformCreate(BaseModel):
    """A provider platform joining the catalog."""

    model_config = ConfigDict(extra="forbid")

    id: Code
    name: Name


class ProviderPlatformRead(BaseModel):
    """A provider platform."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str


class SkuCreate(BaseModel):
    """A new SKU."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    unit: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    service_modes: Annotated[list[ServiceMode], Field(min_length=1, max_length=3)]
    dimension: Annotated[str, StringConstraints(pattern=r"^(cpu|memory|storage|)$")] = ""


class SkuRead(BaseModel):
    """A SKU as anyone signed in reads it."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    unit: str
    service_modes: list[ServiceMode]
    dimension: str
    active: bool


class SkuPriceCreate(BaseModel):
    """A unit price of a SKU on a platform from a date (to a date, inclusive, or open)."""

    model_config = ConfigDict(extra="forbid")

    platform_id: Code
    unit_price: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
    valid_from: date
    valid_to: date | None = None

    @model_validator(mode="after")
    def _range(self):
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class SkuPriceRead(BaseModel):
    """A price row."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    sku_code: str
    platform_id: str
    unit_price: Decimal
    valid_from: date
    valid_to: date | None


class ServiceModeRead(BaseModel):
    """An L8 service mode and what it needs."""

    mode: ServiceMode
    name: str
    needs_plan_approval: bool
    rule_id: str
    article: str
