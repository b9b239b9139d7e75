"""The service catalog (服务目录, "1+N"): provider platforms, SKUs and their prices."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class ProviderPlatform(Base):
    """One of the N provider platforms; its id is the provider claim of the provider's tokens."""

    __tablename__ = "provider_platform"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Sku(Base):
    """A sellable unit of cloud resource (vCPU, memory GB, storage GB, bandwidth Mbps, ...)."""

    __tablename__ = "sku"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # What one unit of the SKU is, e.g. "vCPU", "GB", "Mbps", "instance".
    unit: Mapped[str] = mapped_column(String(32))
    # The L8 service modes the SKU is offered in.
    service_modes: Mapped[list] = mapped_column(JSON)
    # What utilisation dimension the SKU sizes (cpu, memory, storage) or "" for none.
    dimension: Mapped[str] = mapped_column(String(16), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SkuPrice(Base):
    """The monthly unit price of a SKU on one platform over a date range (to inclusive).

    The ranges of one SKU and platform never overlap: the flows check under the SKU's lock
    (catalog/flows.py), and the database refuses it too (0028: an exclusion constraint on
    PostgreSQL, triggers on SQLite; neither is declared here, the migrations keep them)."""

    __tablename__ = "sku_price"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    sku_code: Mapped[str] = mapped_column(ForeignKey("sku.code"), index=True)
    platform_id: Mapped[str] = mapped_column(ForeignKey("provider_platform.id"), index=True)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer, default=1)
