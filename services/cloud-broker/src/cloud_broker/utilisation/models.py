"""Utilisation figures and right-sizing findings (L11)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import BigIntPK, UTCDateTime, new_id, utcnow

Percent = Numeric(5, 2)
Gigabytes = Numeric(14, 2)


class UtilisationFigure(Base):
    """One resource's figures for one month, as a provider or the supervision provider pushed
    them (the latest push for the month wins). A figure not measured stays NULL."""

    __tablename__ = "utilisation_figure"
    __table_args__ = (UniqueConstraint("resource_id", "period", name="uq_figure_resource_period"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = mapped_column(String(36))
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    cpu_avg_percent: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    memory_avg_percent: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    storage_used_gb: Mapped[Decimal | None] = mapped_column(Gigabytes, nullable=True)
    storage_total_gb: Mapped[Decimal | None] = mapped_column(Gigabytes, nullable=True)
    reported_by: Mapped[str] = mapped_column(String(128))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UtilisationFinding(Base):
    """The monthly classification of one resource: each dimension on its own (L11), with the
    figures, the rule and article, and a recommended size; then the unit's answer."""

    __tablename__ = "utilisation_finding"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # <resource_id>:<period>
    resource_id: Mapped[str] = mapped_column(String(36))
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    # Few indexes: the monthly run writes every resource's row at once.
    period: Mapped[str] = mapped_column(String(7))
    # low | high | normal | missing, per dimension; `finding` sums them up (mixed: low and high).
    cpu_class: Mapped[str] = mapped_column(String(8))
    memory_class: Mapped[str] = mapped_column(String(8))
    storage_class: Mapped[str] = mapped_column(String(8))
    finding: Mapped[str] = mapped_column(String(8))
    cpu_avg_percent: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    memory_avg_percent: Mapped[Decimal | None] = mapped_column(Percent, nullable=True)
    storage_used_gb: Mapped[Decimal | None] = mapped_column(Gigabytes, nullable=True)
    storage_total_gb: Mapped[Decimal | None] = mapped_column(Gigabytes, nullable=True)
    vcpu: Mapped[int] = mapped_column(Integer)
    memory_gb: Mapped[int] = mapped_column(Integer)
    recommended_vcpu: Mapped[int] = mapped_column(Integer)
    recommended_memory_gb: Mapped[int] = mapped_column(Integer)
    recommended_storage_gb: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    # The run that recorded it (its thresholds are the run's, not repeated per row).
    run_id: Mapped[str] = mapped_column(String(36))
    # open -> accepted | disputed -> upheld | refused (the unit is marked, L11).
    status: Mapped[str] = mapped_column(String(16))
    plan: Mapped[str] = mapped_column(String(16), default="")  # downsize | reclaim
    response_reason: Mapped[str] = mapped_column(Text, default="")
    ruling_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ClassificationRun(Base):
    """One monthly classification: the period, the profile's thresholds it applied, the counts."""

    __tablename__ = "classification_run"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    period: Mapped[str] = mapped_column(String(7), index=True)
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    thresholds: Mapped[dict] = mapped_column(JSON)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    run_by: Mapped[str] = mapped_column(String(128))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
