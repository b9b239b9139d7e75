"""Contractors and their bans, procurements, contracts, approved adjustments and the data
bureau's written exemptions from supervision."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class Contractor(Base):
    """A company that may bid (E2: its qualifications are recorded)."""

    __tablename__ = "contractor"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    # 统一社会信用代码, 18 characters.
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    qualifications: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Blacklisting(Base):
    """A ban of a contractor from banned_from until (not including) banned_until (E2)."""

    __tablename__ = "blacklisting"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contractor_id: Mapped[str] = mapped_column(ForeignKey("contractor.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    banned_from: Mapped[date] = mapped_column(Date())
    banned_until: Mapped[date] = mapped_column(Date())
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Procurement(Base):
    """A procurement of a project and its award (E1, E2)."""

    __tablename__ = "procurement"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(32))
    # What it buys (ProcurementCategory); rows from before the field are "unspecified".
    category: Mapped[str] = mapped_column(
        String(32), default="unspecified", server_default="unspecified"
    )
    amount: Mapped[Decimal] = mapped_column(Money())
    contractor_id: Mapped[str] = mapped_column(ForeignKey("contractor.id"), index=True)
    awarded_on: Mapped[date] = mapped_column(Date())
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Adjustment(Base):
    """An approved adjustment of a project (调整批复, F2): the ground of a supplementary contract."""

    __tablename__ = "adjustment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    approved_on: Mapped[date] = mapped_column(Date())
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Contract(Base):
    """A contract of a procurement; a supplementary contract names its parent and adjustment."""

    __tablename__ = "contract"
    # One original contract per procurement (a second is a supplement): the database holds it
    # even when two signings race past the check in sign_contract.
    __table_args__ = (
        Index(
            "uq_contract_original_per_procurement",
            "procurement_id",
            unique=True,
            postgresql_where=text("parent_contract_id IS NULL"),
            sqlite_where=text("parent_contract_id IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    procurement_id: Mapped[str] = mapped_column(ForeignKey("procurement.id"), index=True)
    contractor_id: Mapped[str] = mapped_column(ForeignKey("contractor.id"), index=True)
    parent_contract_id: Mapped[str | None] = mapped_column(ForeignKey("contract.id"), index=True)
    adjustment_id: Mapped[str | None] = mapped_column(ForeignKey("adjustment.id"))
    amount: Mapped[Decimal] = mapped_column(Money())
    signed_on: Mapped[date] = mapped_column(Date())
    warranty_months: Mapped[int] = mapped_column(Integer)
    free_om_months: Mapped[int] = mapped_column(Integer)
    copyright_to_government: Mapped[bool] = mapped_column(Boolean)
    data_assets_to_government: Mapped[bool] = mapped_column(Boolean)
    supervisor: Mapped[str | None] = mapped_column(String(200))
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SupervisionExemption(Base):
    """The data bureau's written exemption of a project from supervision (E6), where the
    profile's article asks for supervision only in principle (SN P art29 原则上): its reason, its
    document, who recorded it and when. One per project; never edited or deleted."""

    __tablename__ = "supervision_exemption"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), unique=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    # The bureau's written decision (文号).
    document: Mapped[str] = mapped_column(String(200))
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
