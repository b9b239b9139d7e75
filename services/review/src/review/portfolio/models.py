"""Review's copies of other services' facts the portfolio needs (read-only projections)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime
from review.db import Base


class AuditFinding(Base):
    """A finding audit raised on a project (govit.audit.finding.raised); resolved when audit's
    govit.audit.finding.resolved arrives. Keyed by audit's finding id, so a redelivery or a
    resolution arriving first lands on the same row."""

    __tablename__ = "audit_finding"

    finding_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_id: Mapped[str | None] = mapped_column(String(36), index=True)
    org_id: Mapped[str | None] = mapped_column(String(64))
    check: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProjectActuals(Base):
    """Intake's planned and actual cost and dates of a library project, as last reported
    (govit.intake.project.actuals_reported); a report older than the one kept is ignored."""

    __tablename__ = "project_actuals"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    planned_cost: Mapped[Decimal | None] = mapped_column(Money())
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_cost: Mapped[Decimal | None] = mapped_column(Money())
    actual_end: Mapped[date | None] = mapped_column(Date)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
