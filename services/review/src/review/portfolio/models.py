"""Review's copy of audit's compliance findings, for the portfolio (read-only projection)."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime
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
