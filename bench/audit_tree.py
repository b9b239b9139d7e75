"""A synthetic audit log built in memory: entries, the stored perfect subtrees, proofs.

The audit benchmarks need logs of a million entries; appending them one by one would take an
hour, so the tree is computed here and loaded in bulk, exactly as `merkle_node` stores it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from audit.log import merkle
from audit.log.models import LogState, MerkleNode
from audit.log.service import canonical_entry
from govit.intake.v1.events_pb2 import ProjectSubmitted
from govit_kit.db import Database

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def entry(i: int) -> bytes:
    """The canonical bytes of a realistic log entry (a project submission)."""
    return canonical_entry(
        event_id=f"00000000-0000-4000-8000-{i:012d}",
        event_type="govit.intake.project.submitted",
        source="/govit/intake",
        subject=f"project-{i}",
        event_time=EPOCH + timedelta(seconds=i),
        org_id=f"org-{i % 97}",
        project_id=f"project-{i}",
        actor=f"staff-{i % 1013}@org-{i % 97}",
        payload_type="govit.intake.v1.ProjectSubmitted",
        payload=ProjectSubmitted(
            project_id=f"project-{i}", org_id=f"org-{i % 97}", name="benchmark project"
        ).SerializeToString(),
    )


def levels(leaves: list[bytes]) -> list[list[bytes]]:
    """Every perfect subtree: levels[k][i] covers leaves [i * 2**k, (i + 1) * 2**k)."""
    out = [leaves]
    while len(out[-1]) > 1:
        below = out[-1]
        out.append([merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])
    return out


def proof(tree: list[list[bytes]], index: int, size: int) -> list[bytes]:
    """An inclusion proof from the in-memory subtrees."""
    return [
        merkle.range_hash(a, z, lambda lv, ix: tree[lv][ix])
        for a, z in merkle.inclusion_ranges(index, size)
    ]


async def load(db: Database, tree: list[list[bytes]]) -> None:
    """Store the subtrees and the log size as the audit service would have (COPY on PostgreSQL)."""
    size = len(tree[0])
    rows = [(lv, ix, h) for lv, hashes in enumerate(tree) for ix, h in enumerate(hashes)]
    async with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            raw = (await conn.get_raw_connection()).driver_connection
            await raw.copy_records_to_table(
                MerkleNode.__tablename__, records=rows, columns=["level", "idx", "hash"]
            )
        else:
            await conn.execute(
                MerkleNode.__table__.insert(),
                [{"level": lv, "idx": ix, "hash": h} for lv, ix, h in rows],
            )
        await conn.execute(LogState.__table__.insert().values(id=1, tree_size=size))
