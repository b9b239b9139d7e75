"""REST endpoints of the audit log: entries, tree heads, proofs, exports, integrity, reconciliation."""

import base64
import os
import tempfile
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, PlainTextResponse
from google.protobuf.json_format import MessageToDict
from starlette.background import BackgroundTask

from audit.exchange.bundle import write_bundle
from audit.log import flows, integrity, reconcile, service
from audit.log.models import AuditEntry, TreeHead
from audit.log.schemas import (
    AuditEntryRead,
    ConsistencyProofRead,
    ExportRequest,
    InclusionProofRead,
    TreeHeadRead,
)
from audit.log.signing import key_id
from govit_kit.errors import Conflict
from govit_kit.events import message_class
from govit_kit.http import (
    CurrentPrincipal,
    CurrentRuntime,
    KeysetPaging,
    Page,
    fetch_keyset_page,
)
from govit_kit.values import UtcDatetime

router = APIRouter(prefix="/v1", tags=["audit log"])


def entry_read(e: AuditEntry) -> AuditEntryRead:
    """An entry with its protobuf payload decoded for people."""
    msg = message_class(e.payload_type)()
    msg.ParseFromString(e.payload)
    fields = {
        k: getattr(e, k)
        for k in AuditEntryRead.model_fields
        if k not in ("payload", "leaf_hash", "entry")
    }
    return AuditEntryRead(
        **fields,
        payload=MessageToDict(msg, preserving_proto_field_name=True),
        leaf_hash=e.leaf_hash.hex(),
        entry=base64.b64encode(e.entry).decode(),
    )


def head_read(h: TreeHead) -> TreeHeadRead:
    """A tree head for the API."""
    return TreeHeadRead(
        tree_size=h.tree_size,
        root_hash=h.root_hash.hex(),
        signed_at=h.signed_at,
        signature=base64.b64encode(h.signature).decode(),
        key_id=h.key_id,
    )


@router.get("/entries", response_model=Page[AuditEntryRead])
async def list_entries(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    paging: KeysetPaging,
    project_id: Annotated[str | None, Query(max_length=64)] = None,
    org_id: Annotated[str | None, Query(max_length=64)] = None,
    event_type: Annotated[str | None, Query(max_length=255)] = None,
    actor: Annotated[str | None, Query(max_length=128)] = None,
    # Aware only: a moment without its UTC offset is a 422 naming the field, not a 500.
    since: Annotated[UtcDatetime | None, Query(description="inclusive")] = None,
    until: Annotated[UtcDatetime | None, Query(description="exclusive")] = None,
):
    """Entries in log order, by project, organisation, type, actor and time (a unit: its own);
    paged by leaf index, so a deep page reads its own entries only."""
    query = service.visible(
        who,
        project_id=project_id,
        org_id=org_id,
        event_type=event_type,
        actor=actor,
        since=since,
        until=until,
    )
    async with rt.db.sessions() as session:
        rows, nxt = await fetch_keyset_page(session, query, AuditEntry.leaf_index, paging)
    return Page[AuditEntryRead](items=[entry_read(e) for e in rows], next_cursor=nxt)


@router.get(
    "/public-key",
    response_class=PlainTextResponse,
    tags=["audit log"],
    responses={200: {"description": "PEM", "content": {"application/x-pem-file": {}}}},
)
async def public_key(rt: CurrentRuntime) -> PlainTextResponse:
    """The Ed25519 public key that signs tree heads (PEM), published without a token."""
    pem = rt.state.signer.public_pem
    return PlainTextResponse(
        pem, headers={"Key-Id": key_id(pem)}, media_type="application/x-pem-file"
    )


@router.get("/tree-heads/latest", response_model=TreeHeadRead)
async def latest_tree_head(who: CurrentPrincipal, rt: CurrentRuntime):
    """The newest signed tree head (anyone signed in may check the log's commitments)."""
    async with rt.db.sessions() as session:
        head = await service.latest_tree_head(session)
    if head is None:
        raise Conflict("no tree head signed yet")
    return head_read(head)


@router.post("/tree-heads", response_model=TreeHeadRead)
async def sign_tree_head(who: CurrentPrincipal, rt: CurrentRuntime):
    """Sign the log as it stands now (auditors, platform operators)."""
    who.require(*service.LOG_READERS)
    return head_read(await flows.sign_now(rt))


@router.get("/entries/{leaf_index}/inclusion-proof", response_model=InclusionProofRead)
async def inclusion_proof(
    leaf_index: Annotated[int, Path(ge=0, lt=2**63)],
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    tree_size: Annotated[
        int | None, Query(ge=1, lt=2**63, description="default: latest signed head")
    ] = None,
):
    """The audit path of an entry the caller may read."""
    async with rt.db.sessions() as session:
        row = await service.entry_at(session, who, leaf_index)
        head = None
        if tree_size is None:
            head = await service.covering_head(session, leaf_index)
            tree_size = head.tree_size
        path = await service.inclusion_proof(session, leaf_index, tree_size)
    return InclusionProofRead(
        leaf_index=leaf_index,
        tree_size=tree_size,
        leaf_hash=row.leaf_hash.hex(),
        audit_path=[h.hex() for h in path],
        tree_head=head_read(head) if head else None,
    )


@router.get("/consistency-proof", response_model=ConsistencyProofRead)
async def consistency_proof(
    who: CurrentPrincipal,
    rt: CurrentRuntime,
    first: Annotated[int, Query(ge=1, lt=2**63)],
    second: Annotated[int, Query(ge=1, lt=2**63)],
):
    """Proof that the log of `first` entries is a prefix of the log of `second`."""
    async with rt.db.sessions() as session:
        proof = await service.consistency_proof(session, first, second)
    return ConsistencyProofRead(first=first, second=second, proof=[h.hex() for h in proof])


@router.post(
    "/exports", response_class=FileResponse, responses={200: {"content": {"application/zip": {}}}}
)
async def export_bundle(body: ExportRequest, who: CurrentPrincipal, rt: CurrentRuntime):
    """An audit exchange bundle (J4) of the entries the caller may read that match the filters,
    with their inclusion proofs under a freshly signed tree head; verify it offline with
    `govit-audit-verify`."""
    head = await flows.sign_now(rt)
    query = service.visible(
        who, project_id=body.project_id, org_id=body.org_id, since=body.since, until=body.until
    ).where(AuditEntry.leaf_index < head.tree_size)
    out = tempfile.NamedTemporaryFile(suffix=".zip", delete=False)  # noqa: SIM115
    async with rt.db.sessions() as session:
        rows = list((await session.scalars(query)).all())
        # Every entry's proof at once: the log's size read once, the nodes in a few queries.
        paths = (
            await service.inclusion_proofs(session, [r.leaf_index for r in rows], head.tree_size)
            if rows
            else {}
        )
        entries = [
            {
                "leaf_index": row.leaf_index,
                "entry": row.entry,
                "leaf_hash": row.leaf_hash,
                "inclusion_proof": paths[row.leaf_index],
            }
            for row in rows
        ]
    with out:
        write_bundle(
            out,
            tree_head={
                "tree_size": head.tree_size,
                "root_hash": head.root_hash,
                "signed_at": head.signed_at,
                "signature": head.signature,
                "key_id": head.key_id,
            },
            public_key_pem=rt.state.signer.public_pem,
            filters=body.model_dump(mode="json", exclude_none=True),
            entries=entries,
        )
    return FileResponse(
        out.name,
        media_type="application/zip",
        filename=f"govit-audit-{head.tree_size}.zip",
        background=BackgroundTask(os.unlink, out.name),
    )


@router.get("/integrity")
async def check_integrity(who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """Recompute the log from its entries and compare with the stored tree and every signed
    tree head; names what changed (auditors, platform operators)."""
    who.require(*service.LOG_READERS)
    async with rt.db.sessions() as session:
        report = await integrity.check(session, rt.state.public_keys)
    return report.to_dict()


@router.get("/reconciliation")
async def reconciliation(who: CurrentPrincipal, rt: CurrentRuntime) -> dict:
    """Per service, the events its outbox published against those in the log (J4)."""
    who.require(*service.LOG_READERS)
    return await reconcile.reconcile(rt, who)
