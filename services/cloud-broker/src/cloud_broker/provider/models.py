"""Provider work orders (工单) and their long-running operations (Open Service Broker style)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import UTCDateTime, new_id, utcnow


class WorkOrder(Base):
    """Work a provider platform must do on one resource: provision, modify or deprovision."""

    __tablename__ = "work_order"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("resource_request.id"), index=True)
    change_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    org_id: Mapped[str] = mapped_column(String(64))
    platform_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # provision | modify | deprovision
    status: Mapped[str] = mapped_column(String(16), index=True)
    # Only what provisioning needs (L16): mode, items, the resource's ids; never materials.
    spec: Mapped[dict] = mapped_column(JSON)
    claimed_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claims: Mapped[int] = mapped_column(Integer, default=0)
    progress_percent: Mapped[int] = mapped_column(Integer, default=0)
    progress_note: Mapped[str] = mapped_column(Text, default="")
    resource_ids: Mapped[list] = mapped_column(JSON, default=list)
    wipe_attestation: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Operation(Base):
    """A provider's long call on a work order (complete, fail, wipe): polled until done; the
    same call again returns it, a different one is a conflict."""

    __tablename__ = "operation"
    __table_args__ = (
        UniqueConstraint("work_order_id", "action", name="uq_operation_order_action"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    work_order_id: Mapped[str] = mapped_column(ForeignKey("work_order.id"), index=True)
    platform_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # in progress | succeeded | failed
    description: Mapped[str] = mapped_column(Text, default="")
    originating_identity: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ProviderReport(Base):
    """A provider's monthly report (L13): utilisation, O&M, optimisation advice, security."""

    __tablename__ = "provider_report"
    __table_args__ = (UniqueConstraint("platform_id", "period", name="uq_report_platform_period"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    platform_id: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(7))  # the month reported on
    sections: Mapped[dict] = mapped_column(JSON)
    filed_by: Mapped[str] = mapped_column(String(128))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    late: Mapped[bool] = mapped_column(default=False)
    # L13's decision on the filing: a flag naming the due date when late, else an allow (none
    # where the profile sets no due date; none on reports filed before migration 0023).
    decisions: Mapped[list] = mapped_column(JSON, default=list)


class PlatformChange(Base):
    """A provider's planned change of its platform (L14: major ones filed in advance)."""

    __tablename__ = "platform_change"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    platform_id: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    plan: Mapped[str] = mapped_column(Text)
    major: Mapped[bool] = mapped_column(default=False)
    users_notified: Mapped[bool] = mapped_column(default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    filed_by: Mapped[str] = mapped_column(String(128))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EmergencyDrill(Base):
    """An emergency drill (应急演练) a provider held on its platform (L15: PDS C art14, 每年至少
    组织2次). One per platform and day: a retried record does not count twice."""

    __tablename__ = "emergency_drill"
    __table_args__ = (UniqueConstraint("platform_id", "held_on", name="uq_drill_platform_day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    platform_id: Mapped[str] = mapped_column(String(64), index=True)
    held_on: Mapped[date] = mapped_column(Date)  # the day in China
    summary: Mapped[str] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(128))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
