"""The project library (项目库, B3), the annual plan (年度计划, B2) and rebaselines."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime, new_id, utcnow
from intake.db import Base


class LibraryEntry(Base):
    """An approved project in the library, its planned and actual cost and dates side by side."""

    __tablename__ = "library_entry"

    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    entered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    planned_cost: Mapped[Decimal] = mapped_column(Money())
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_cost: Mapped[Decimal | None] = mapped_column(Money())
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Rebaseline(Base):
    """A change of a planned value, with its reason: slippage stays visible."""

    __tablename__ = "rebaseline"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("library_entry.project_id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(String(64))
    new_value: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(128))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnnualPlan(Base):
    """The annual plan of a year, chosen from the library."""

    __tablename__ = "annual_plan"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    adopted_by: Mapped[str | None] = mapped_column(String(128))
    adopted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class PlanItem(Base):
    """A project on a year's plan, with its priority type (B4) and reason; an emergency addition
    (A3) names its approving document; an item the adoption left out (J1) keeps why."""

    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("plan_year", "project_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_year: Mapped[int] = mapped_column(ForeignKey("annual_plan.year"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    priority_type: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    document_reference: Mapped[str | None] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(128))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the adoption left the item out: the J1 decision (the unit's investment plan was
    # deferred, 暂缓安排投资计划). A left-out item is not on the adopted plan.
    left_out: Mapped[dict | None] = mapped_column(JSON)
