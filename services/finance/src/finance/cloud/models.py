"""Units' funding type, verified cloud bills and their lines split by payer (L9-L11)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class UnitFunding(Base):
    """A unit's level and funding guarantee: they decide who pays its cloud (L9)."""

    __tablename__ = "unit_funding"

    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    funding: Mapped[str] = mapped_column(String(16))
    # Counties and parks: whether their own finance pays (their 资金保障序列 decides).
    local_finance_pays: Mapped[bool] = mapped_column(Boolean, default=False)
    # The version of intake's record last copied here (0: recorded by finance only).
    intake_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    recorded_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CloudBill(Base):
    """A provider's monthly bill as the data bureau verified it (L10). `supplement` is 0 for the
    month's bill; cloud-broker's lines of a month that arrive after it was settled are verified
    as supplementary bills of that month, numbered 1, 2, ..."""

    __tablename__ = "cloud_bill"
    __table_args__ = (UniqueConstraint("provider_id", "month", "supplement"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    month: Mapped[str] = mapped_column(String(7))
    supplement: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    billed: Mapped[Decimal] = mapped_column(Money())
    deducted: Mapped[Decimal] = mapped_column(Money())
    payable_to_provider: Mapped[Decimal] = mapped_column(Money())
    payables: Mapped[list] = mapped_column(JSON, default=list)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    verified_by: Mapped[str] = mapped_column(String(128))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CloudBillLine(Base):
    """One unit's service on a bill, and who pays what of it."""

    __tablename__ = "cloud_bill_line"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    bill_id: Mapped[str] = mapped_column(ForeignKey("cloud_bill.id"), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(36))
    service_mode: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    idle_extra: Mapped[Decimal] = mapped_column(Money())
    refused_rightsizing: Mapped[bool] = mapped_column(Boolean)
    payer: Mapped[str] = mapped_column(String(16))
    payer_amount: Mapped[Decimal] = mapped_column(Money())
    unit_amount: Mapped[Decimal] = mapped_column(Money())
    deducted: Mapped[Decimal] = mapped_column(Money())
    decisions: Mapped[list] = mapped_column(JSON, default=list)


class ProviderContract(Base):
    """The terms of a provider's service contract that tie assessments to settlement (L18)."""

    __tablename__ = "provider_contract"

    provider_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    contract_ref: Mapped[str] = mapped_column(String(200))
    # The contract's standard: a quarter scoring below it is a breach.
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    # Share of a failed quarter's payables withheld at the annual settlement.
    penalty_ratio: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    recorded_by: Mapped[str] = mapped_column(String(128))
    # 1 for the first terms recorded, one more for each rewrite (each one an event); a
    # settlement names the version it applied.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ProviderAssessment(Base):
    """The data bureau's quarterly assessment of a provider (L18)."""

    __tablename__ = "provider_assessment"
    __table_args__ = (UniqueConstraint("provider_id", "year", "quarter"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    scores: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool] = mapped_column(Boolean)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    assessed_by: Mapped[str] = mapped_column(String(128))
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CloudSettlement(Base):
    """A provider's annual settlement (L18)."""

    __tablename__ = "cloud_settlement"
    __table_args__ = (UniqueConstraint("provider_id", "year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    payable: Mapped[Decimal] = mapped_column(Money())
    penalty: Mapped[Decimal] = mapped_column(Money())
    settled: Mapped[Decimal] = mapped_column(Money())
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    # The version of the provider's contract terms it applied (None: settled before versions).
    contract_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BrokerBillLine(Base):
    """A bill line cloud-broker issued (govit.cloud_broker.bill_line.issued), waiting for the data
    bureau to verify its month (L10); bill_id is set once settled."""

    __tablename__ = "broker_bill_line"

    bill_line_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    platform_id: Mapped[str] = mapped_column(String(64), index=True)
    service_mode: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    unit_level: Mapped[str] = mapped_column(String(16))
    unit_funding: Mapped[str] = mapped_column(String(16))
    bill_id: Mapped[str | None] = mapped_column(ForeignKey("cloud_bill.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The lines no bill settles yet, by platform and month: the months waiting for the bureau
# (flows.waiting_months) are found without reading the settled ones, which grow every month.
_PENDING = BrokerBillLine.bill_id.is_(None)
Index(
    "ix_broker_bill_line_pending",
    BrokerBillLine.platform_id,
    BrokerBillLine.period,
    postgresql_where=_PENDING,
    sqlite_where=_PENDING,
)


class MarkedUnit(Base):
    """A unit cloud-broker marked for refusing right-sizing without good reason in a year
    (govit.cloud_broker.unit.marked, L11): its bills that year bear the idle-capacity fees."""

    __tablename__ = "marked_unit"

    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[str] = mapped_column(String(64))
    article: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BrokerMonthClose(Base):
    """Cloud-broker's close of a billed month for one platform
    (govit.cloud_broker.billing_month.closed, L10): how many bill lines it issued for the platform
    that month and their total. With it finance knows when the month's lines have all arrived;
    the bureau's verification of the month waits for them (a redelivery changes nothing)."""

    __tablename__ = "broker_month_close"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bill_lines: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money())
    # The close event it came from.
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When every announced line had arrived and was settled (a verification that found the
    # month whole, or a close that came after its lines were settled and matches them): the
    # month no longer waits, and the listing of waiting months reads it no more.
    whole_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
