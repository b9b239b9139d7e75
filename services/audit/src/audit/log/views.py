"""REST endpoints of the audit log."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from google.protobuf.json_format import MessageToDict

from audit.log import service
from audit.log.models import AuditEntry
from audit.log.schemas import AuditEntryRead
from govit_kit.events import message_class
from govit_kit.http import CurrentPrincipal, CurrentRuntime, Page, Paging, fetch_page

router = APIRouter(prefix="/v1/entries", tags=["audit log"])


def entry_read(e: AuditEntry) -> AuditEntryRead:
    """An entry with its protobuf payload decoded for people."""
    msg = message_class(e.payload_type)()
    msg.ParseFromString(e.payload)
    return AuditEntryRead(
        **{
            k: getattr(e, k)
            for k in AuditEntryRead.model_fields
            if k not in ("payload", "leaf_hash")
        },
        payload=MessageToDict(msg, preserving_proto_field_name=True),
        leaf_hash=e.leaf_hash.hex(),
    )


@router.get("", response_model=Page[AuditEntryRead])
async def list_entries(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: Paging,
    project_id: Annotated[str | None, Query(max_length=64)] = None,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
    event_type: Annotated[str | None, Query(max_length=255)] = None,
    since: Annotated[datetime | None, Query(description="inclusive")] = None,
    until: Annotated[datetime | None, Query(description="exclusive")] = None,
):
    """Entries in log order, filtered by project, organisation, type and time."""
    query = service.visible(
        who, project_id=project_id, org_id=org_id, event_type=event_type, since=since, until=until
    )
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_page(session, query, paging)
    return Page[AuditEntryRead](items=[entry_read(e) for e in rows], next_cursor=nxt)
