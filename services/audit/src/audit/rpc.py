"""gRPC: AuditService."""

from audit.log import service
from audit.log.models import AuditEntry
from govit.audit.v1 import audit_service_pb2 as pb
from govit.audit.v1 import audit_service_pb2_grpc as pb_grpc
from govit.common.v1 import common_pb2
from govit_kit.convert import from_timestamp, to_timestamp
from govit_kit.http import fetch_page
from govit_kit.rpc import current_principal, page_from


def entry_message(e: AuditEntry) -> pb.AuditEntry:
    """An entry row as its protobuf message."""
    return pb.AuditEntry(
        sequence=e.sequence,
        event_id=e.event_id,
        event_type=e.event_type,
        source=e.source,
        subject=e.subject,
        org_id=e.org_id or "",
        project_id=e.project_id or "",
        trace_id=e.trace_id or "",
        event_time=to_timestamp(e.event_time),
        recorded_at=to_timestamp(e.recorded_at),
        payload=e.payload,
        payload_type=e.payload_type,
        leaf_hash=e.leaf_hash,
    )


class AuditServicer(pb_grpc.AuditServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def ListEntries(self, request, context) -> pb.ListEntriesResponse:
        """Entries in log order, filtered."""
        query = service.visible(
            current_principal(),
            project_id=request.project_id or None,
            org_id=request.org_id or None,
            event_type=request.event_type or None,
            since=from_timestamp(request.since) if request.HasField("since") else None,
            until=from_timestamp(request.until) if request.HasField("until") else None,
        )
        async with self.rt.db.sessions() as session:
            rows, nxt = await fetch_page(session, query, page_from(request.page))
        return pb.ListEntriesResponse(
            entries=[entry_message(e) for e in rows],
            page=common_pb2.PageInfo(next_page_token=nxt or ""),
        )


def servicers(rt) -> list:
    """Audit's gRPC servicers."""
    return [
        (
            pb_grpc.add_AuditServiceServicer_to_server,
            AuditServicer(rt),
            pb.DESCRIPTOR.services_by_name["AuditService"].full_name,
        )
    ]
