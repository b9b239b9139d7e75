"""The projection of review's suspensions (F4) and terminations (F5) the broker keeps."""

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import UTCDateTime, utcnow


class ProjectStanding(Base):
    """What review last said of a project that new systems' requests name (L2): suspended
    (F4) or lifted, terminated (F5), each with review's time and the event's id.

    Review's events come on three subjects, in any order, and again after a lost inbox row:
    the latest suspension or lift by review's time stands (an older one arriving late changes
    nothing), and a termination is final (a second word on it changes nothing)."""

    __tablename__ = "project_standing"

    project_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))  # the project's unit, as review names it
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    # The suspension or lift that stands: review's time and the event's id (None: none yet).
    suspension_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    suspension_event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    terminated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    termination_event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
