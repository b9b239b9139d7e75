"""The register of government information systems and their lifecycle actions (K1-K6)."""

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import UTCDateTime, new_id, utcnow
from intake.db import Base


class InformationSystem(Base):
    """A system a project produced: its owner unit, cloud resources, data catalog and status."""

    __tablename__ = "information_system"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    owner_org_id: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(36))
    cloud_resource_ids: Mapped[list] = mapped_column(JSON, default=list)
    # The data resources it holds (names from the project's catalog, C2).
    data_resources: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), index=True)
    last_used_on: Mapped[dt.date | None] = mapped_column(Date)
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SystemActionRecord(Base):
    """One lifecycle action with its grounds and plan."""

    __tablename__ = "system_action"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    system_id: Mapped[str] = mapped_column(ForeignKey("information_system.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    rule_id: Mapped[str] = mapped_column(String(4))
    article: Mapped[str] = mapped_column(String(200))
    grounds: Mapped[str] = mapped_column(String(64))
    plan: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
