"""Yearly progress and performance reports during construction (F6: 建设期内每年年底前)."""

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id
from review.db import Base


class ProgressReport(Base):
    """A project's report for one year of construction: submitted by the unit, or flagged
    overdue (F6) when the year's deadline passed without one, and then submitted late."""

    __tablename__ = "progress_report"
    __table_args__ = (UniqueConstraint("case_id", "year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str] = mapped_column(String(36), index=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # submitted or overdue
    progress: Mapped[str | None] = mapped_column(Text)  # 建设进度
    investment_execution: Mapped[str | None] = mapped_column(Text)  # 投资计划执行情况
    trial_run_effects: Mapped[str | None] = mapped_column(Text)  # 试运行效果及遇到的问题
    decisions: Mapped[list] = mapped_column(JSON)
    submitted_by: Mapped[str | None] = mapped_column(String(128))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
