"""REST shapes of the audit log."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEntryRead(BaseModel):
    """An entry with its payload decoded to JSON."""

    sequence: int
    event_id: str
    event_type: str
    source: str
    subject: str
    org_id: str | None
    project_id: str | None
    trace_id: str | None
    event_time: datetime
    recorded_at: datetime
    payload_type: str
    payload: dict[str, Any]
    leaf_hash: str
