"""Appending to and reading the audit log (never commits)."""

import base64
import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from audit.log.models import AuditEntry
from govit_kit.auth import Principal, Role
from govit_kit.db import utcnow
from govit_kit.events import Event
from govit_kit.telemetry import trace_id_of


def canonical_entry(event: Event) -> bytes:
    """The bytes the log commits to: the CloudEvents attributes and the payload, canonical JSON."""
    doc = {
        "id": event.id,
        "type": event.type,
        "source": event.source,
        "subject": event.subject,
        "time": event.time.isoformat(),
        "orgid": event.org_id,
        "projectid": event.project_id,
        "dataschema": event.payload_type,
        "data": base64.b64encode(event.payload).decode(),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(entry: bytes) -> bytes:
    """RFC 6962 leaf hash: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


async def append(*, session: AsyncSession, event: Event) -> AuditEntry:
    """Append one event (the consumer's inbox makes a redelivery a no-op; event_id is unique too)."""
    entry = canonical_entry(event)
    row = AuditEntry(
        event_id=event.id,
        event_type=event.type,
        source=event.source,
        subject=event.subject,
        org_id=event.org_id,
        project_id=event.project_id,
        trace_id=trace_id_of(event.traceparent),
        event_time=event.time,
        recorded_at=utcnow(),
        payload_type=event.payload_type,
        payload=event.payload,
        entry=entry,
        leaf_hash=leaf_hash(entry),
    )
    session.add(row)
    await session.flush()
    return row


def visible(
    who: Principal,
    *,
    project_id: str | None = None,
    org_id: str | None = None,
    event_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Entries the caller may read (auditors all, a unit its own organisation's), filtered."""
    query = select(AuditEntry).order_by(AuditEntry.sequence)
    scope = who.org_scope({Role.AUDITOR, Role.PLATFORM_OPERATOR})
    if scope is not None:
        query = query.where(AuditEntry.org_id == scope)
    if project_id:
        query = query.where(AuditEntry.project_id == project_id)
    if org_id:
        query = query.where(AuditEntry.org_id == org_id)
    if event_type:
        query = query.where(AuditEntry.event_type == event_type)
    if since:
        query = query.where(AuditEntry.event_time >= since)
    if until:
        query = query.where(AuditEntry.event_time < until)
    return query
