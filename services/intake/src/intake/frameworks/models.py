"""Cross-department framework plans (跨部门工程框架方案, C5)."""

import datetime as dt

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from intake.db import Base


class FrameworkPlan(Base):
    """The lead unit's one plan for a cross-department project: participants, goals, data flows
    and interfaces; each participant's application refers to it."""

    __tablename__ = "framework_plan"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    lead_org_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    participant_org_ids: Mapped[list] = mapped_column(JSON)
    goals: Mapped[str] = mapped_column(Text)
    data_flows: Mapped[str] = mapped_column(Text)
    interfaces: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # draft | approved
    bureau_opinion: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(128))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
