"""Demand calls (需求征集, B1)."""

import datetime as dt

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from intake.db import Base


class DemandCall(Base):
    """The data bureau's yearly call for next year's project demands."""

    __tablename__ = "demand_call"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_year: Mapped[int] = mapped_column(Integer, unique=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    opened_by: Mapped[str] = mapped_column(String(128))
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
