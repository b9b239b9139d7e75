"""Pool members (experts and agencies), random draws and the assignments they made."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from review.db import Base


class PoolMember(Base):
    """An expert (专家) or a third-party agency (第三方专业机构) the bureau may draw (D6)."""

    __tablename__ = "pool_member"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    pool: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The token subject an expert signs in with: an expert sees only the cases drawn for them.
    subject: Mapped[str | None] = mapped_column(String(128), index=True)
    employer_org_id: Mapped[str | None] = mapped_column(String(64))
    specialties: Mapped[list] = mapped_column(JSON, default=list)
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    # Declared conflicts: ids of organisations, projects or contractors the member is involved in.
    conflicts: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Draw(Base):
    """One random draw (抽选): its seed and the exact candidate list, so it can be re-run."""

    __tablename__ = "draw"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    pool: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    specialty: Mapped[str] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(Integer)
    seed: Mapped[str] = mapped_column(String(64))
    candidates: Mapped[list] = mapped_column(JSON)  # eligible member ids, sorted
    excluded: Mapped[list] = mapped_column(JSON)  # [{member_id, reason}] and why
    picked: Mapped[list] = mapped_column(JSON)  # member ids in draw order
    replaces_assignment_id: Mapped[str | None] = mapped_column(String(36))
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    drawn_by: Mapped[str] = mapped_column(String(128))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(Base):
    """A member drawn for a case; a decline keeps the row and points at its redraw."""

    __tablename__ = "draw_assignment"
    __table_args__ = (UniqueConstraint("case_id", "member_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    draw_id: Mapped[str] = mapped_column(ForeignKey("draw.id"))
    member_id: Mapped[str] = mapped_column(ForeignKey("pool_member.id"))
    pool: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(String(128), index=True)
    status: Mapped[str] = mapped_column(String(16))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
