"""Monthly usage and bill lines (L9, L10): the bureau settles, finance decides who pays."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class UsageLine(Base):
    """One resource's use of one SKU for a month, at the platform's price in force."""

    __tablename__ = "usage_line"
    __table_args__ = (
        UniqueConstraint("period", "resource_id", "sku", name="uq_usage_period_resource_sku"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    period: Mapped[str] = mapped_column(String(7), index=True)
    resource_id: Mapped[str] = mapped_column(String(36))
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    platform_id: Mapped[str] = mapped_column(String(64))
    service_mode: Mapped[str] = mapped_column(String(16))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())


class BillLine(Base):
    """A unit's month on one platform in one service mode: what finance settles (L9)."""

    __tablename__ = "bill_line"
    __table_args__ = (
        UniqueConstraint(
            "period", "org_id", "platform_id", "service_mode", name="uq_bill_line_key"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    period: Mapped[str] = mapped_column(String(7), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    platform_id: Mapped[str] = mapped_column(String(64))
    service_mode: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    usage_lines: Mapped[int] = mapped_column(Integer)
    # What finance needs to decide who pays (L9): the unit's level and funding.
    unit_level: Mapped[str] = mapped_column(String(8))
    unit_funding: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BillingMonth(Base):
    """A billed month (L10): written by its run, in the run's transaction, before anything
    else, so a month is billed once however many runs are sent (a second is refused and
    announces nothing), even a month with nothing to bill. One row per period: the run bills
    every platform at once and `billing_month.closed` is the period's.

    `unpriced` keeps what the run could not bill for want of a price in force on the month's
    first day ({resource_id, org_id, platform_id, sku, quantity} each): the month stays
    billed, so it is never billed later; None on a month billed before the broker kept them
    (0028 records those months from their bill lines and closes)."""

    __tablename__ = "billing_month"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who ran it; "" on a month recorded by 0028 (no run said).
    closed_by: Mapped[str] = mapped_column(String(128), default="")
    bill_lines: Mapped[int] = mapped_column(Integer, default=0)
    unpriced: Mapped[list | None] = mapped_column(JSON, nullable=True)
