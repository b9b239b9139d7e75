"""Resource requests (政务云资源申请), their history, change requests, units and quotas."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cloud_broker.db import Base
from govit_kit.db import BigIntPK, UTCDateTime, new_id, utcnow


class ResourceRequest(Base):
    """A unit's request for government cloud resources for one project; once provisioned it is
    the record of the resource itself, until reclaimed."""

    __tablename__ = "resource_request"
    # One provider id, one resource (requests/flows.py: not_on_books): on PostgreSQL a GIN
    # index answers `resource_ids ?| ids` from the matching rows alone. SQLite has no such
    # index (the same statement makes a plain one there, which the check does not use).
    # GET /v1/resource-requests (service.visible) lists by (submitted_at, id), the bureau's
    # across units and a unit's own: each page is read off an index in that order, not sorted
    # out of the whole table (the unit's index also answers every lookup by org_id).
    __table_args__ = (
        Index("ix_resource_request_resource_ids", "resource_ids", postgresql_using="gin"),
        Index("ix_resource_request_submitted", "submitted_at", "id"),
        Index("ix_resource_request_org_submitted", "org_id", "submitted_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    # L2: a new system's approved project; optional for a migrated or existing system (it
    # attaches no approval, SN C art12), which may name a project of its unit or none.
    project_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    org_id: Mapped[str] = mapped_column(String(64))
    service_mode: Mapped[str] = mapped_column(String(16))
    items: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    submitted_by: Mapped[str] = mapped_column(String(128))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # L2 materials: name -> document reference; new systems attach the project approval.
    materials: Mapped[dict] = mapped_column(JSON, default=dict)
    new_system: Mapped[bool] = mapped_column(Boolean, default=True)
    # L12 (SN C art12): an existing system's migration, ordinary or important (None for a new
    # system, where L12 does not apply, and for requests filed before it was built).
    migration_impact: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # L12: an important migration's plan (the document is materials.migration_plan): submitted,
    # approved or refused by the bureau, by whom and why.
    migration_plan_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    migration_plan_decided_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    migration_plan_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # L12: an ordinary migration's advance notice: {given_at, given_by, planned_start,
    # affected_org_ids} (times ISO 8601 UTC); the latest notice stands.
    migration_notice: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # L8: a 专享 request's plan, approved by the cloud administrators.
    plan_approved_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    platform_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    # What the provider created (instance ids ...), reported on completion; jsonb on PostgreSQL
    # for the GIN index above.
    resource_ids: Mapped[list] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=list
    )
    # One operation at a time on a resource: "provision", "change", "exit" or None.
    active_operation: Mapped[str | None] = mapped_column(String(16), nullable=True)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    stopped_use_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Set while intake's register has the resource's system frozen (K5): {system_id, rule_id,
    # article}; a frozen resource takes no change request.
    frozen_by: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # Sizes by utilisation dimension, from the items' SKUs (L11 recommends against them).
    vcpu: Mapped[int] = mapped_column(Integer, default=0)
    memory_gb: Mapped[int] = mapped_column(Integer, default=0)
    storage_gb: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __mapper_args__ = {"version_id_col": version}


class OwnershipChange(Base):
    """A resource given to another unit when intake's register promotes (K3) or transfers (K4)
    its system: the history that bills each month to the unit that owned it at the month's end.
    One row per event and resource, so a redelivered event moves nothing."""

    __tablename__ = "ownership_change"
    __table_args__ = (
        UniqueConstraint("event_id", "resource_id", name="uq_ownership_change_event_resource"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource_request.id"), index=True)
    from_org_id: Mapped[str] = mapped_column(String(64))
    to_org_id: Mapped[str] = mapped_column(String(64))
    # When the register acted (the event's time), not when the event arrived here.
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    system_id: Mapped[str] = mapped_column(String(36))
    event_id: Mapped[str] = mapped_column(String(36))


class RegisterMove(Base):
    """A promotion (K3) or transfer (K4) as intake's register made it, kept even when it moved
    nothing here: when an earlier move of the system arrives after it (retried while the new
    unit's account was missing), its resources then go on through the later moves, so they end
    with the register's latest owner. One row per event: a redelivery is recognised by it."""

    __tablename__ = "register_move"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    system_id: Mapped[str] = mapped_column(String(36), index=True)
    from_org_id: Mapped[str] = mapped_column(String(64))
    to_org_id: Mapped[str] = mapped_column(String(64))
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    resource_ids: Mapped[list] = mapped_column(JSON)


class RegisterAct(Base):
    """A freeze, an unfreeze (K5) or a decommission (K1) of a system as intake's register made
    it, one row per event and listed resource, kept whether it applied here or not yet: the
    events come on separate subjects, in any order, and a move of the system (K3, K4) may arrive
    after an act that names its new owner. A resource's freeze is what the latest freeze or
    unfreeze of each system says (an older one arriving late changes nothing); an act applies
    to a resource only if the resource was the act's owner unit's at the act's time, as the
    moves known here say, so one that did not apply yet is applied once the move arrives.
    `handled_at`: when a decommission's exit was started, or found not startable (logged)."""

    __tablename__ = "register_act"
    __table_args__ = (
        UniqueConstraint("event_id", "resource_id", name="uq_register_act_event_resource"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    resource_id: Mapped[str] = mapped_column(ForeignKey("resource_request.id"), index=True)
    system_id: Mapped[str] = mapped_column(String(36))
    # "frozen", "unfrozen" or "decommissioned" (the register's action).
    action: Mapped[str] = mapped_column(String(16))
    owner_org_id: Mapped[str] = mapped_column(String(64))
    # When the register acted (the event's time), not when the event arrived here.
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    rule_id: Mapped[str] = mapped_column(String(8))
    article: Mapped[str] = mapped_column(String(200))
    grounds: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RequestTransition(Base):
    """One transition of a request: who, from, to, why, when (the event carries the same)."""

    __tablename__ = "request_transition"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("resource_request.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(128))
    actor_org: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChangeRequest(Base):
    """A change of an active resource's size or shape (L6)."""

    __tablename__ = "change_request"
    # GET /v1/changes (service.visible_changes): in (submitted_at, id) order, as requests.
    __table_args__ = (
        Index("ix_change_request_submitted", "submitted_at", "id"),
        Index("ix_change_request_org_submitted", "org_id", "submitted_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("resource_request.id"), index=True)
    org_id: Mapped[str] = mapped_column(String(64))
    items: Mapped[list] = mapped_column(JSON)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    materials: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text)
    # L11: an expansion may refer to the high-utilisation finding that justifies it.
    finding_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    # When the provider applied it, and the items it replaced: a month billed later is billed
    # at the size that stood at its end.
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    items_before: Mapped[list | None] = mapped_column(JSON, nullable=True)
    submitted_by: Mapped[str] = mapped_column(String(128))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CloudUnit(Base):
    """A unit's cloud account: level (L3), county authority, jurisdiction and funding (L9).

    A unit never registered is a city unit without quota of its own.
    """

    __tablename__ = "cloud_unit"

    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(8), default="city")
    # L3: the county data authority (its org id) that reviews a county unit's requests first.
    county_authority_org: Mapped[str | None] = mapped_column(String(64), nullable=True)
    jurisdiction: Mapped[str] = mapped_column(String(64), default="city", index=True)
    funding: Mapped[str] = mapped_column(String(8), default="full")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The version of intake's record last copied here (0: set by the bureau only).
    intake_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version}


class Quota(Base):
    """The most of a SKU a unit, or all units of a jurisdiction, may hold committed (L5)."""

    __tablename__ = "quota"
    __table_args__ = (UniqueConstraint("scope", "scope_id", "sku", name="uq_quota_scope_sku"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    scope: Mapped[str] = mapped_column(String(16))  # unit | jurisdiction
    scope_id: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    limit_quantity: Mapped[int] = mapped_column(Integer)


class UnitMark(Base):
    """L11: a unit that refused right-sizing without good reason, for one year."""

    __tablename__ = "unit_mark"
    __table_args__ = (UniqueConstraint("org_id", "year", name="uq_unit_mark_org_year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    year: Mapped[int] = mapped_column(Integer)
    finding_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    decision: Mapped[dict] = mapped_column(JSON)
    marked_by: Mapped[str] = mapped_column(String(128))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MigrationNoticeRecipient(Base):
    """L12 (SN C art12: 提前通知管理部门和受影响使用单位): an ordinary migration's advance notice as
    one affected unit receives it. Given again (the start moved), the notice replaces these rows."""

    __tablename__ = "migration_notice_recipient"

    request_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    to_org_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    from_org_id: Mapped[str] = mapped_column(String(64))
    planned_start: Mapped[datetime] = mapped_column(UTCDateTime())
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
