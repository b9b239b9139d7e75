"""The assets a project formed, as its unit registered them, and the acceptance reports filed
with finance (G7)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class AssetRegistration(Base):
    """One registration of a project's fixed and intangible assets (SN P art11: 按照国有资产管理
    规定登记; XY art20: 按照市财政固定资产管理要求…固定资产登记), with its document. A project may
    register more than once (assets formed in phases); rows are never edited."""

    __tablename__ = "asset_registration"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(200))
    total: Mapped[Decimal] = mapped_column(Money())
    decisions: Mapped[list] = mapped_column(JSON)
    registered_by: Mapped[str] = mapped_column(String(128))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AssetEntry(Base):
    """One asset of a registration."""

    __tablename__ = "asset_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    registration_id: Mapped[str] = mapped_column(ForeignKey("asset_registration.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # its place in the registration, from 1
    name: Mapped[str] = mapped_column(String(200))
    asset_class: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())


class AcceptanceReportFiling(Base):
    """Finance's copy of an acceptance report filed with it (G7, PDS P art18: 终验完成后, 项目单位
    应将项目验收报告报…市财政局…备案), from review's `acceptance_report.filed`. The report's
    reference and the SHA-256 of its file, as review keeps them; never edited."""

    __tablename__ = "acceptance_report_filing"

    filing_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36))
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    acceptance_id: Mapped[str] = mapped_column(String(36))
    report_document: Mapped[str] = mapped_column(String(255))
    report_sha256: Mapped[str] = mapped_column(String(64))
    filed_on: Mapped[date] = mapped_column(Date)
    recipients: Mapped[list] = mapped_column(JSON)
    decisions: Mapped[list] = mapped_column(JSON)
    filed_by: Mapped[str] = mapped_column(String(128))
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
