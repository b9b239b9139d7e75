"""Rectification orders (整改通知) and their escalation."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from govit_kit.policy.calendar import note_for
from review.db import Base


class RectificationOrder(Base):
    """The bureau orders a unit to rectify a finding on a project by a deadline."""

    __tablename__ = "rectification_order"
    # J1's round reads the open orders past their deadline off this index (an order's status
    # alone is read off it too).
    __table_args__ = (Index("ix_rectification_order_status_due", "status", "due_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    finding: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    security: Mapped[bool] = mapped_column(Boolean, default=False)
    due_working_days: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # How due_at was counted, to count it again (govit_kit.duedates): due_working_days from
    # due_counted_from (the issue, or the escalation that gave it), and the years it counted on
    # the statute's computation ("2027"; null: the published calendar). Once one of them is
    # published or declared, the ladder counts it again before it escalates anything.
    due_counted_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_provisional_years: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16))
    level: Mapped[int] = mapped_column(Integer, default=0)  # steps of the J1 ladder taken
    escalations: Mapped[list] = mapped_column(JSON, default=list)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    issued_by: Mapped[str] = mapped_column(String(128))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def calendar(self) -> str | None:
        """What the deadline says of its calendar: provisional for which years (None: not)."""
        return note_for(self.due_provisional_years)
