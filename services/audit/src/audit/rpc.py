"""gRPC: AuditService."""

from audit.compliance import service as compliance
from audit.compliance.models import Finding
from audit.compliance.schemas import FindingStatus
from audit.log import service
from audit.log.models import AuditEntry, TreeHead
from govit.audit.v1 import audit_service_pb2 as pb
from govit.audit.v1 import audit_service_pb2_grpc as pb_grpc
from govit.common.v1 import common_pb2
from govit_kit.convert import from_timestamp, to_timestamp
from govit_kit.errors import Conflict, InvalidInput
from govit_kit.http import fetch_keyset_page, fetch_page
from govit_kit.rpc import current_principal, keyset_page_from, page_from


def entry_message(e: AuditEntry) -> pb.AuditEntry:
    """An entry row as its protobuf message."""
    return pb.AuditEntry(
        leaf_index=e.leaf_index,
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
        actor=e.actor or "",
        entry=e.entry,
    )


def head_message(h: TreeHead) -> pb.TreeHead:
    """A tree head row as its protobuf message."""
    return pb.TreeHead(
        tree_size=h.tree_size,
        root_hash=h.root_hash,
        signed_at=to_timestamp(h.signed_at),
        signature=h.signature,
        key_id=h.key_id,
    )


class AuditServicer(pb_grpc.AuditServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def ListEntries(self, request, context) -> pb.ListEntriesResponse:
        """Entries in log order, filtered; paged by leaf index (REST's cursor and this token
        are the same)."""
        query = service.visible(
            current_principal(),
            project_id=request.project_id or None,
            org_id=request.org_id or None,
            event_type=request.event_type or None,
            actor=request.actor or None,
            since=from_timestamp(request.since, "since") if request.HasField("since") else None,
            until=from_timestamp(request.until, "until") if request.HasField("until") else None,
        )
        async with self.rt.db.sessions() as session:
            rows, nxt = await fetch_keyset_page(
                session, query, AuditEntry.leaf_index, keyset_page_from(request.page)
            )
        return pb.ListEntriesResponse(
            entries=[entry_message(e) for e in rows],
            page=common_pb2.PageInfo(next_page_token=nxt or ""),
        )

    async def GetLatestTreeHead(self, request, context) -> pb.GetLatestTreeHeadResponse:
        """The newest signed tree head and the public key."""
        current_principal()  # any verified caller
        async with self.rt.db.sessions() as session:
            head = await service.latest_tree_head(session)
        if head is None:
            raise Conflict("no tree head signed yet")
        return pb.GetLatestTreeHeadResponse(
            tree_head=head_message(head), public_key_pem=self.rt.state.signer.public_pem
        )

    async def GetInclusionProof(self, request, context) -> pb.GetInclusionProofResponse:
        """An entry's audit path (tree_size 0: the latest signed head)."""
        async with self.rt.db.sessions() as session:
            row = await service.entry_at(session, current_principal(), request.leaf_index)
            size = (
                request.tree_size
                or (await service.covering_head(session, request.leaf_index)).tree_size
            )
            path = await service.inclusion_proof(session, request.leaf_index, size)
        return pb.GetInclusionProofResponse(
            leaf_index=row.leaf_index, tree_size=size, leaf_hash=row.leaf_hash, audit_path=path
        )

    async def GetConsistencyProof(self, request, context) -> pb.GetConsistencyProofResponse:
        """Proof that one tree size is a prefix of another."""
        current_principal()
        async with self.rt.db.sessions() as session:
            proof = await service.consistency_proof(session, request.first, request.second)
        return pb.GetConsistencyProofResponse(proof=proof)

    async def ListFindings(self, request, context) -> pb.ListFindingsResponse:
        """Compliance findings, filtered (finance asks for a project's open ones, I4)."""
        if request.status and request.status not in {s.value for s in FindingStatus}:
            raise InvalidInput("status", "status must be open or resolved")
        query = compliance.visible(
            current_principal(),
            status=request.status or None,
            rule_id=request.rule_id or None,
            project_id=request.project_id or None,
            org_id=request.org_id or None,
        )
        async with self.rt.db.sessions() as session:
            rows, nxt = await fetch_page(session, query, page_from(request.page))
        return pb.ListFindingsResponse(
            findings=[finding_message(f) for f in rows],
            page=common_pb2.PageInfo(next_page_token=nxt or ""),
        )


def finding_message(f: Finding) -> pb.Finding:
    """A finding row as its protobuf message."""
    return pb.Finding(
        finding_id=f.id,
        check=f.check_code,
        rule=common_pb2.RuleRef(rule_id=f.rule_id, article=f.article),
        summary=f.summary,
        project_id=f.project_id or "",
        org_id=f.org_id or "",
        evidence_leaf_indexes=f.evidence,
        status=f.status,
        raised_at=to_timestamp(f.raised_at),
        resolved_at=to_timestamp(f.resolved_at),
        resolution=f.resolution or "",
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
