"""Organisations (units), and what holds their new projects: security rectifications (J3) and
finance's standing I3 grounds (YY art28, art30); and what keeps their projects off the annual
plan: an overdue rectification order escalated to 暂缓安排投资计划 (J1)."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
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


class StandingGround(Base):
    """Finance's latest fact on one I3 ground of a unit (YY art28: a system not sharing its data or
    collecting it twice; art30: a unit that failed to integrate): while it stands, the unit's new
    projects are barred where the profile says so (I3 `bars_new_projects`).

    Finance owns the facts; its `system_status` / `duplicate_collection` / `unit_integration`
    `.recorded` events keep this projection, one row per ground and project (or unit, for
    art30). The event time orders the facts: an older event arriving late changes nothing."""

    __tablename__ = "standing_ground"

    ground: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The project whose system the fact is about, or the unit's id for a unit's ground (art30).
    subject_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(36))
    stands: Mapped[bool] = mapped_column(Boolean)
    # The data bureau's document (finding or re-check); empty for finance's system status.
    document: Mapped[str] = mapped_column(String(200), default="")
    fact_at: Mapped[datetime] = mapped_column(UTCDateTime())
    event_id: Mapped[str] = mapped_column(String(36))


class InvestmentDeferral(Base):
    """A rectification order of a unit, as J1's 暂缓安排投资计划 needs it (SN P art37, YY art32):
    once review escalates the overdue order to `investment_deferred` (or a later step of the
    ladder), the unit's projects are not put on an annual plan until the order is resolved.

    Review owns the orders: `rectification.escalated` opens the deferral (`deferred_at`),
    `rectification.resolved` lifts it (`lifted_at`). The two travel on different subjects, so a
    resolution may come first: it leaves a row with `lifted_at` and no `deferred_at` (a
    tombstone), and a late escalation finds it and defers nothing. The order id is the key."""

    __tablename__ = "investment_deferral"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    # The project the order was issued on (the deferral is the unit's, all its projects).
    project_id: Mapped[str | None] = mapped_column(String(36))
    # The highest step of the ladder seen (2: investment_deferred, 3, 4); 0 on a tombstone.
    level: Mapped[int] = mapped_column(Integer, default=0)
    sanction: Mapped[str] = mapped_column(String(32), default="")
    deferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
