"""Organisations (units) and the security rectifications that hold their new projects (J3)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, utcnow
from intake.db import Base


class Organisation(Base):
    """A unit (单位): the id is the `org` claim of its people's tokens."""

    __tablename__ = "organisation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_org_id: Mapped[str | None] = mapped_column(ForeignKey("organisation.id"))
    funding_class: Mapped[str] = mapped_column(String(32))
    cdo_subject: Mapped[str | None] = mapped_column(String(128))
    cdo_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SecurityRectification(Base):
    """An open crypto/security rectification of a unit (J3): it may not start new projects.

    Review owns rectification orders (J1): its `rectification.issued` / `.resolved` events with
    `blocks_new_projects` keep this projection (the order id is the row id); the bureau may also
    record one here through the API, for an order made outside the platform."""

    __tablename__ = "security_rectification"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    finding: Mapped[str] = mapped_column(String(500))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(128))
