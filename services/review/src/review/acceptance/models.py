"""Acceptances (验收) and performance evaluations (绩效评价)."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from review.db import Base


class Acceptance(Base):
    """A recorded acceptance of an approved project (one per stage)."""

    __tablename__ = "acceptance"
    __table_args__ = (UniqueConstraint("case_id", "stage"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    accepted_on: Mapped[date] = mapped_column(Date)
    went_live_on: Mapped[date | None] = mapped_column(Date)
    facts: Mapped[dict] = mapped_column(JSON)  # what was declared (trial run, materials, ...)
    om_eligible: Mapped[bool] = mapped_column(Boolean)
    decisions: Mapped[list] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PreApproval(Base):
    """The data bureau's pre-approval of acceptance (履约验收前置核准, G2, SN P art32): the unit
    requests it after the trial run; the bureau grants or refuses it with a reason. A refused
    request may be followed by a new one; at most one is requested or granted at a time."""

    __tablename__ = "pre_approval"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    trial_run_ended_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decisions: Mapped[list] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(128))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Evaluation(Base):
    """The performance evaluation an acceptance calls for, with its window (H1)."""

    __tablename__ = "evaluation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    earliest_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decisions: Mapped[list] = mapped_column(JSON)
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    grade: Mapped[str | None] = mapped_column(String(16))
    summary: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AcceptanceReportFiling(Base):
    """G7 (PDS P art18): after the final acceptance the unit filed the acceptance report with
    the data bureau, NDRC, finance and audit (终验完成后…验收报告报…备案). Review stores the
    report's reference and the SHA-256 of its file, not the file."""

    __tablename__ = "acceptance_report_filing"
    __table_args__ = (UniqueConstraint("case_id"),)  # one filing of a project's report

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
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
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
