"""Due dates of the flow's steps (L4, L6, L7) and the providers' duties (L13, L15), stored so
a restart loses none."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import UTCDateTime, new_id, utcnow
from govit_kit.policy.calendar import note_for


class Deadline(Base):
    """One step's due date: whose duty it is, the rule and article, when it was met or passed."""

    __tablename__ = "deadline"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "kind", name="uq_deadline_subject_kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    subject_kind: Mapped[str] = mapped_column(String(32))  # resource_request | change_request
    # A request's id, or <platform>:<YYYY-MM> / <platform>:<year> for a provider's duty (a
    # platform id is up to 64 characters).
    subject_id: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # approval | deployment | change_approval ...
    org_id: Mapped[str] = mapped_column(String(64), index=True)  # the unit concerned
    party: Mapped[str] = mapped_column(String(80))  # whose duty: bureau | unit | provider:<id>
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When the scheduler raised the deadline's one "passed" event.
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Paused (L4 read with L12, SN C art12): the unit's deployment deadline while its important
    # migration's plan awaits the bureau. The scheduler and the overdue list skip it; due_at is
    # the date it had when paused, and the bureau's decision resumes it with the working days
    # that were left (paused_working_days) counted from the decision.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    paused_working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pause_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # How a due date in working days was counted, to count it again (govit_kit.duedates): from
    # counted_from, working_days working days, the clock standing still over each finished pause
    # ([paused, resumed] ISO instants; an open one is paused_at). provisional_years names the
    # years counted on the statute's computation ("2027"): once one is published or declared,
    # the scheduler counts the due date again before raising anything. Null for a due date not
    # in working days (L7's months, L13, L15) and for those stored before migration 0024.
    counted_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    working_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pauses: Mapped[list | None] = mapped_column(JSON, nullable=True)
    provisional_years: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def calendar(self) -> str | None:
        """What the due date says of its calendar: provisional for which years (None: not)."""
        return note_for(self.provisional_years)
