"""Project applications (项目申报) and their materials."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from govit_kit.db import Money, UTCDateTime, new_id, utcnow
from intake.db import Base


class Project(Base):
    """A unit's project application, from draft to the review's conclusion."""

    __tablename__ = "project"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64))  # indexed with created_at (below)
    name: Mapped[str] = mapped_column(String(200))
    project_type: Mapped[str] = mapped_column(String(32))
    total_investment: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[str] = mapped_column(String(32), index=True)
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # C1: the application form (YY annex 1; PDS P art9).
    supervising_department: Mapped[str | None] = mapped_column(String(200))
    leader_name: Mapped[str | None] = mapped_column(String(100))
    leader_phone: Mapped[str | None] = mapped_column(String(32))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    background: Mapped[str | None] = mapped_column(Text)
    basis_documents: Mapped[list] = mapped_column(JSON, default=list)
    preparation_status: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[str | None] = mapped_column(Text)
    yearly_funding: Mapped[list] = mapped_column(JSON, default=list)
    predecessor_project_id: Mapped[str | None] = mapped_column(String(36))
    # A1: the system will not be built on the government cloud (needs a written justification).
    cloud_exception: Mapped[bool] = mapped_column(Boolean, default=False)
    # B6: built and funded by the national or provincial level: filed, not approved here.
    upper_level_funded: Mapped[bool] = mapped_column(Boolean, default=False)
    # A2: a classified project is recorded as existing, nothing more.
    classified: Mapped[bool] = mapped_column(Boolean, default=False)
    # B1: the demand call it answers, the plan year, and how it is listed.
    demand_call_id: Mapped[str | None] = mapped_column(ForeignKey("demand_call.id"))
    plan_year: Mapped[int | None] = mapped_column(Integer, index=True)
    listing: Mapped[str | None] = mapped_column(String(16))
    # C5: the cross-department framework plan it belongs to.
    framework_plan_id: Mapped[str | None] = mapped_column(String(36))
    # C4: the chief data officer's sign-off.
    cdo_signed_by: Mapped[str | None] = mapped_column(String(128))
    cdo_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # C6 in the city: where a forwarded application comes from and the county's opinion.
    origin: Mapped[str | None] = mapped_column(String(100))
    origin_project_id: Mapped[str | None] = mapped_column(String(36))
    county_opinion: Mapped[str | None] = mapped_column(Text)
    forwarded_by_org: Mapped[str | None] = mapped_column(String(64))
    # C6 in a county: the city's id of the forwarded application and its last known status.
    city_project_id: Mapped[str | None] = mapped_column(String(36))
    city_status: Mapped[str | None] = mapped_column(String(32))
    # The latest review round whose conclusion or resubmission intake applied (0: none yet): a
    # lagging or replayed event of an earlier round changes nothing.
    review_round: Mapped[int] = mapped_column(Integer, default=0)

    # C6: one city project per county project, even when two forwards of it race. GET
    # /v1/projects (service.visible) lists by (created_at, id), the bureaus' across units and a
    # unit's own: each page is read off an index in that order, not sorted out of the whole
    # table (the unit's index also answers every lookup by org_id).
    __table_args__ = (
        UniqueConstraint("forwarded_by_org", "origin_project_id"),
        Index("ix_project_created", "created_at", "id"),
        Index("ix_project_org_created", "org_id", "created_at", "id"),
    )
    __mapper_args__ = {"version_id_col": version}


class ProjectMaterial(Base):
    """One material of an application, of a named kind (one per kind; a new upload replaces)."""

    __tablename__ = "project_material"
    __table_args__ = (UniqueConstraint("project_id", "kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[str] = mapped_column(String(128))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
