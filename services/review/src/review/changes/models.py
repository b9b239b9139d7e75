"""Change requests on an approved project: adjustments, major changes, delays, termination."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime, new_id, utcnow
from review.db import Base


class ChangeRequest(Base):
    """A unit's change to an approved project and the route the profile gives it."""

    __tablename__ = "change_request"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    approved_total: Mapped[Decimal] = mapped_column(Money())
    new_total: Mapped[Decimal | None] = mapped_column(Money())
    amount_adjusted: Mapped[Decimal | None] = mapped_column(Money())
    route: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32), index=True)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    bureau_opinion: Mapped[str | None] = mapped_column(Text)
    bureau_reviewer: Mapped[str | None] = mapped_column(String(128))
    approver_note: Mapped[str | None] = mapped_column(Text)
    approver: Mapped[str | None] = mapped_column(String(128))
    requested_by: Mapped[str] = mapped_column(String(128))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
