"""Payments, and the facts the funding gates (I1-I6) read: plan listings, system status,
audit findings and rectification orders."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class PlanListing(Base):
    """A project listed in the annual plan of a fiscal year (I2)."""

    __tablename__ = "plan_listing"
    __table_args__ = (UniqueConstraint("project_id", "fiscal_year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SystemStatus(Base):
    """What finance knows of a project's system after acceptance (I3). `shares_data` and
    `in_catalog` are None while nobody recorded them (the row was made from review's acceptance,
    which says nothing of either); I3 refuses then too, saying that no record exists."""

    __tablename__ = "system_status"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    accepted: Mapped[bool] = mapped_column(Boolean)
    security_compliant: Mapped[bool] = mapped_column(Boolean)
    shares_data: Mapped[bool | None] = mapped_column(Boolean)
    in_catalog: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When the acceptance kept in `accepted` and `security_compliant` was recorded: review's
    # `recorded_at` for its acceptance, the officer's write time for a REST write. An acceptance
    # event not newer than it changes nothing. None on review's rows from before 0022.
    acceptance_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DuplicateCollection(Base):
    """The data bureau's finding on whether a project's system collects data already collected
    elsewhere (重复采集数据, I3, YY art28); while it stands the system gets no O&M funds."""

    __tablename__ = "duplicate_collection"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    collects_twice: Mapped[bool] = mapped_column(Boolean)
    # The bureau's document: the finding, or the re-check that cleared it.
    document: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class UnitIntegration(Base):
    """The data bureau's finding on whether a unit failed to integrate its existing projects or
    systems as required (应整合而未整合, I3, YY art30); while it stands the unit gets no O&M funds."""

    __tablename__ = "unit_integration"

    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_to_integrate: Mapped[bool] = mapped_column(Boolean)
    # The bureau's document: the finding, or the re-check that cleared it.
    document: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RetiredSystem(Base):
    """A project's system the register decommissioned or merged away (K1, K2): no more O&M."""

    __tablename__ = "retired_system"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    system_id: Mapped[str] = mapped_column(String(36))
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditFinding(Base):
    """Finance's copy of an audit finding (from audit's events): open ones hold payments (I4)."""

    __tablename__ = "audit_finding"

    finding_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(8))
    summary: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16))  # open | resolved
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Rectification(Base):
    """A rectification order (整改) on a project. Open, one that `holds_payments` holds the
    project's payments (I4); an open `security` one (review's crypto or security finding) refuses
    its O&M funds (I3, YY art29), whether or not it holds payments."""

    __tablename__ = "rectification"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(String(200))
    ordered_on: Mapped[date] = mapped_column(Date())
    # The deadline to rectify by (review's due_at, or the end of a finance order's due_on in
    # China); a unit that lets it pass with the order open has failed to rectify (I4, WH art20).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(128))
    # Review's `hold_payments` (finance's own orders always hold): only these hold payments and
    # count as failed rectifications (I4).
    holds_payments: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Review's `security`: a crypto or security finding (密码应用和网络安全, I3, YY art29).
    security: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Payment(Base):
    """A payment request against a contract and a funding line, and what the gates decided."""

    __tablename__ = "payment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), index=True)
    funding_line_id: Mapped[str] = mapped_column(ForeignKey("funding_line.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    purpose: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # approved | held | refused
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    # Why a held payment was refused on release where no rule refuses it, as {field, message}
    # (a 422's errors): the balance where no I5 applies, a termination with no article to cite
    # (F5 not applying), a line closed meanwhile. Never a decision without a rule id.
    errors: Mapped[list] = mapped_column(JSON, default=list)
    # The treasury's reference of the centralised payment (I5), once approved.
    treasury_reference: Mapped[str | None] = mapped_column(String(40))
    ledger_entry_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_entry.id"))
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
