"""Review cases (评审案件)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
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
    # Attributes the applicant declared for the pre-checks (D5, D8): see DeclaredAttributes.
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)
    conclusion: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(128))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PreCheck(Base):
    """An automatic pre-check (预审) that raised a refusal ground of D5/D8 on a case.

    Raised until the declared attributes no longer raise it (cleared) or a bureau reviewer
    overrules it with a written reason; the row is never deleted.
    """

    __tablename__ = "pre_check"
    __table_args__ = (UniqueConstraint("case_id", "ground"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    ground: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    overruled_by: Mapped[str | None] = mapped_column(String(128))
    overrule_reason: Mapped[str | None] = mapped_column(Text)
    overruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
