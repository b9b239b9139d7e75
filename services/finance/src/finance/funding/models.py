"""Finance's copy of projects, and funding lines (资金安排)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finance.db import Base
from govit_kit.db import Money, UTCDateTime, new_id, utcnow


class ProjectCopy(Base):
    """What finance knows of a project, from intake's and review's events."""

    __tablename__ = "project_copy"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    total_investment: Mapped[Decimal] = mapped_column(Money())
    review_conclusion: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class FundingLine(Base):
    """Money set aside for a project in a fiscal year."""

    __tablename__ = "funding_line"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Money())
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
