"""Review cases (评审案件)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime, new_id, utcnow
from review.db import Base


class ReviewCase(Base):
    """The review of one submitted application."""

    __tablename__ = "review_case"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    project_name: Mapped[str] = mapped_column(String(200))
    total_investment: Mapped[Decimal] = mapped_column(Money())
    track: Mapped[str] = mapped_column(String(32))
    decisions: Mapped[list] = mapped_column(JSON, default=list)  # the rules that chose the track
    # The project's contractor, when known: experts involved with it are not drawn (D6).
    contractor: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    conclusion: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
