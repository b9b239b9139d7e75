"""Findings and the watches that may become findings."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base
from govit_kit.db import UTCDateTime


class Watch(Base):
    """A check waiting on an event: the awaited event clears it, its due time makes it a finding.

    Within checks open one when their start event is logged; precedence checks open one when the
    required earlier event is not (yet) in the log, and give it a grace period for late arrivals.
    """

    __tablename__ = "compliance_watch"
    __table_args__ = (UniqueConstraint("check_code", "trigger_event_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    check_code: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255), index=True)
    trigger_event_id: Mapped[str] = mapped_column(String(36))
    trigger_leaf: Mapped[int] = mapped_column(BigInteger)
    trigger_time: Mapped[datetime] = mapped_column(UTCDateTime())
    project_id: Mapped[str | None] = mapped_column(String(64))
    org_id: Mapped[str | None] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # A within check's deadline in working days counted on the statute's provisional calendar
    # names those years ("2027"; null: the published calendar, or not in working days). Once
    # one is published or declared, the watch is counted again from the log (govit_kit.duedates)
    # before any finding is raised.
    provisional_years: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class Finding(Base):
    """A breach of a rule seen in the log, with the entries that show it (its evidence)."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("check_code", "trigger_event_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    check_code: Mapped[str] = mapped_column(String(64), index=True)
    rule_id: Mapped[str] = mapped_column(String(8), index=True)
    article: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    project_id: Mapped[str | None] = mapped_column(String(64), index=True)
    org_id: Mapped[str | None] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(255))
    trigger_event_id: Mapped[str] = mapped_column(String(36))
    evidence: Mapped[list] = mapped_column(JSON, default=list)  # leaf indexes in the log
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | resolved
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    resolution: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
