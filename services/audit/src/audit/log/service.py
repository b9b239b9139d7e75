"""Appending to the audit log, its Merkle tree and signed tree heads, and reading them back.

Service functions read and write rows and never commit: the unit of work does.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    SmallInteger,
    and_,
    bindparam,
    func,
    insert,
    not_,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from audit.log import merkle
from audit.log.models import AuditEntry, LogState, MerkleNode, TreeHead
from audit.log.signing import Signer, key_id
from govit_kit.auth import Principal, Role
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.events import Event
from govit_kit.telemetry import trace_id_of

EMPTY_ROOT = hashlib.sha256(b"").digest()
LOG_READERS = frozenset({Role.AUDITOR, Role.PLATFORM_OPERATOR})
# Event types an organisation-scoped reader (a unit) never reads, by prefix: the ones that name
# the reviewers of an application. Review keeps them from the applicant: a case's draws,
# assignments and opinions are 403 to its unit and its history lists no opinion (the draw of
# D6, D3, D1; the opinions of D3, D4). The log carries them with the case's org_id, so it must
# withhold them itself: the pools' members (pool_member.*), the draws with their seed,
# candidates, exclusions, pick and decline reason (draw.*), who is drawn (assignment.*) and each
# reviewer's opinion with its author and recommendation (opinion.*). Auditors and platform
# operators read them all. Withheld entries are left out, not redacted (see docs/audit.md).
WITHHELD_FROM_ORGS = (
    "govit.review.pool_member.",
    "govit.review.draw.",
    "govit.review.assignment.",
    "govit.review.opinion.",
)


def withheld_from_orgs(event_type: str) -> bool:
    """Whether an organisation-scoped reader is kept from entries of this type."""
    return event_type.startswith(WITHHELD_FROM_ORGS)


def canonical_entry(
    *,
    event_id: str,
    event_type: str,
    source: str,
    subject: str,
    event_time: datetime,
    org_id: str | None,
    project_id: str | None,
    actor: str | None,
    payload_type: str,
    payload: bytes,
) -> bytes:
    """The bytes a leaf commits to: the CloudEvents attributes and the payload, canonical JSON."""
    doc = {
        "id": event_id,
        "type": event_type,
        "source": source,
        "subject": subject,
        "time": event_time.isoformat(),
        "orgid": org_id,
        "projectid": project_id,
        "actor": actor,
        "dataschema": payload_type,
        "data": base64.b64encode(payload).decode(),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_of_row(row: AuditEntry) -> bytes:
    """What a stored row's columns say its entry is (the integrity check compares the two)."""
    return canonical_entry(
        event_id=row.event_id,
        event_type=row.event_type,
        source=row.source,
        subject=row.subject,
        event_time=row.event_time,
        org_id=row.org_id,
        project_id=row.project_id,
        actor=row.actor,
        payload_type=row.payload_type,
        payload=row.payload,
    )


# Nodes asked of the database per query: an export needs about one per entry it holds.
# PostgreSQL joins two arrays (two parameters whatever the number); SQLite, which has no
# arrays, takes (level, idx) row values, two parameters a node, under its 999-variable limit.
NODES_PER_QUERY = {"postgresql": 10_000, "sqlite": 450}


async def nodes(
    session: AsyncSession, wanted: set[tuple[int, int]]
) -> dict[tuple[int, int], bytes]:
    """Stored perfect-subtree hashes by (level, index), a query per NODES_PER_QUERY nodes."""
    keys = sorted(wanted)
    dialect = session.bind.dialect.name
    per_query = NODES_PER_QUERY[dialect]
    found: dict[tuple[int, int], bytes] = {}
    columns = select(MerkleNode.level, MerkleNode.idx, MerkleNode.hash)
    for first in range(0, len(keys), per_query):
        chunk = keys[first : first + per_query]
        if dialect == "postgresql":
            asked = (
                func.unnest(
                    bindparam("levels", [lv for lv, _ in chunk], type_=ARRAY(SmallInteger)),
                    bindparam("idxs", [ix for _, ix in chunk], type_=ARRAY(BigInteger)),
                )
                .table_valued("level", "idx")
                .render_derived(name="asked")
            )
            query = columns.join(
                asked, and_(MerkleNode.level == asked.c.level, MerkleNode.idx == asked.c.idx)
            )
        else:
            query = columns.where(tuple_(MerkleNode.level, MerkleNode.idx).in_(chunk))
        found.update({(lv, ix): h for lv, ix, h in await session.execute(query)})
    return found


async def tree_size(session: AsyncSession) -> int:
    """The number of leaves."""
    return await session.scalar(select(LogState.tree_size).where(LogState.id == 1))


async def claim_leaves(session: AsyncSession, count: int) -> int:
    """Claim the next `count` leaf positions; returns the first. One statement grows the log and
    locks its state row until commit, so concurrent appends get consecutive indexes."""
    size = await session.scalar(
        update(LogState)
        .where(LogState.id == 1)
        .values(tree_size=LogState.tree_size + count)
        .returning(LogState.tree_size)
    )
    return size - count


async def append(*, session: AsyncSession, events: list[Event]) -> list[AuditEntry]:
    """Append events, in order, as the next leaves, with the subtrees they complete: a few
    statements for the whole batch. The consumer's inbox makes a redelivery a no-op; the unique
    event_id is a second guard."""
    first = await claim_leaves(session, len(events))
    recorded_at = utcnow()
    values = []
    for index, event in enumerate(events, start=first):
        entry = canonical_entry(
            event_id=event.id,
            event_type=event.type,
            source=event.source,
            subject=event.subject,
            event_time=event.time,
            org_id=event.org_id,
            project_id=event.project_id,
            actor=event.actor,
            payload_type=event.payload_type,
            payload=event.payload,
        )
        values.append(
            dict(
                leaf_index=index,
                event_id=event.id,
                event_type=event.type,
                source=event.source,
                subject=event.subject,
                org_id=event.org_id,
                project_id=event.project_id,
                actor=event.actor,
                trace_id=trace_id_of(event.traceparent),
                event_time=event.time,
                recorded_at=recorded_at,
                payload_type=event.payload_type,
                payload=event.payload,
                entry=entry,
                leaf_hash=merkle.leaf_hash(entry),
            )
        )
    # Left siblings completed before this batch are stored; those it completes are in `made`.
    stored = merkle.stored_siblings(first, len(events))
    known = await nodes(session, stored)
    made: list[tuple[int, int, bytes]] = []
    for v in values:
        leaf = v["leaf_hash"]
        for lv, ix, h in merkle.append_nodes(v["leaf_index"], leaf, lambda a, b: known[(a, b)]):
            known[(lv, ix)] = h
            made.append((lv, ix, h))
    # Core inserts, not the ORM's unit of work: appending is the audit service's hot path.
    await session.execute(
        insert(MerkleNode), [{"level": lv, "idx": ix, "hash": h} for lv, ix, h in made]
    )
    await session.execute(insert(AuditEntry), values)
    return [AuditEntry(**v) for v in values]  # what was stored (not attached to the session)


async def range_hashes(session: AsyncSession, ranges: list[merkle.Range]) -> list[bytes]:
    """The hash of each leaf range, from stored nodes (O(log n) of them per range)."""
    stored = await nodes(session, merkle.nodes_for(ranges))
    return [merkle.range_hash(a, z, lambda lv, ix: stored[(lv, ix)]) for a, z in ranges]


async def root_hash(session: AsyncSession, size: int) -> bytes:
    """The root of the tree of the first `size` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return (await range_hashes(session, [(0, size)]))[0]


async def sign_tree_head(session: AsyncSession, signer: Signer) -> TreeHead:
    """Sign the log as it stands (a new head only when it grew since the last one)."""
    size = await tree_size(session)
    last = await latest_tree_head(session)
    if last is not None and last.tree_size == size and last.key_id == key_id(signer.public_pem):
        return last  # nothing new to commit to (after a key rotation, the new key signs anew)
    root = await root_hash(session, size)
    signed_at = utcnow()
    head = TreeHead(
        tree_size=size,
        root_hash=root,
        signed_at=signed_at,
        signature=signer.sign(size, root, signed_at),
        key_id=key_id(signer.public_pem),
    )
    session.add(head)
    await session.flush()
    return head


async def latest_tree_head(session: AsyncSession) -> TreeHead | None:
    """The newest signed tree head, if any."""
    return await session.scalar(select(TreeHead).order_by(TreeHead.id.desc()).limit(1))


async def inclusion_proof(session: AsyncSession, leaf_index: int, size: int) -> list[bytes]:
    """The audit path of a leaf in the tree of `size` leaves."""
    return (await inclusion_proofs(session, [leaf_index], size))[leaf_index]


async def inclusion_proofs(
    session: AsyncSession, leaf_indexes: list[int], size: int
) -> dict[int, list[bytes]]:
    """The audit path of each leaf in the tree of `size` leaves: the log's size read once and
    the nodes every path needs fetched together (an export's thousands of paths in a few
    queries, not two per entry)."""
    current = await tree_size(session)
    for leaf_index in leaf_indexes:
        if not 0 <= leaf_index < size <= current:
            raise InvalidInput(
                "tree_size",
                f"leaf {leaf_index} is not in a tree of size {size} (the log holds {current})",
            )
    ranges = {i: merkle.inclusion_ranges(i, size) for i in leaf_indexes}
    stored = await nodes(session, merkle.nodes_for(r for path in ranges.values() for r in path))

    def node(level: int, index: int) -> bytes:
        return stored[(level, index)]

    return {i: [merkle.range_hash(a, z, node) for a, z in path] for i, path in ranges.items()}


async def consistency_proof(session: AsyncSession, first: int, second: int) -> list[bytes]:
    """Proof that the tree of `first` leaves is a prefix of the tree of `second`."""
    current = await tree_size(session)
    if not 1 <= first <= second <= current:
        raise InvalidInput("first", f"need 1 <= first <= second <= {current}")
    return await range_hashes(session, merkle.consistency_ranges(first, second))


def visible(
    who: Principal,
    *,
    project_id: str | None = None,
    org_id: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
):
    """Entries the caller may read (auditors all, a unit its own organisation's but none of the
    types WITHHELD_FROM_ORGS), filtered."""
    query = select(AuditEntry).order_by(AuditEntry.leaf_index)
    scope = who.org_scope(LOG_READERS)
    if scope is not None:
        query = query.where(
            AuditEntry.org_id == scope,
            *(
                not_(AuditEntry.event_type.startswith(prefix, autoescape=True))
                for prefix in WITHHELD_FROM_ORGS
            ),
        )
    for column, value in (
        (AuditEntry.project_id, project_id),
        (AuditEntry.org_id, org_id),
        (AuditEntry.event_type, event_type),
        (AuditEntry.actor, actor),
    ):
        if value:
            query = query.where(column == value)
    if since:
        query = query.where(AuditEntry.event_time >= since)
    if until:
        query = query.where(AuditEntry.event_time < until)
    return query


async def entry_at(session: AsyncSession, who: Principal, leaf_index: int) -> AuditEntry:
    """One entry the caller may read, by its leaf index (404 otherwise, as for another
    organisation's entry: a withheld one's existence does not show either)."""
    row = await session.scalar(select(AuditEntry).where(AuditEntry.leaf_index == leaf_index))
    if row is None:
        raise NotFound("audit entry not found")
    who.check_owner(row.org_id or "", LOG_READERS, "audit entry")
    if who.org_scope(LOG_READERS) is not None and withheld_from_orgs(row.event_type):
        raise NotFound("audit entry not found")
    return row


async def covering_head(session: AsyncSession, leaf_index: int) -> TreeHead:
    """The latest signed head, which must cover the leaf (409 until the next signing)."""
    head = await latest_tree_head(session)
    if head is None or head.tree_size <= leaf_index:
        raise Conflict(
            "no signed tree head covers this entry yet; ask for one with POST /v1/tree-heads"
        )
    return head
