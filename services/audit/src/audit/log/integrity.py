"""The consistency check: recompute the whole log from its entries and compare with what is
stored and with every signed tree head, so any direct change to the tables is found and named."""

from __future__ import annotations

import asyncio
import bisect
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from audit.log import merkle
from audit.log.models import AuditEntry, MerkleNode, TreeHead
from audit.log.service import entry_of_row, tree_size
from audit.log.signing import verify_tree_head

MISSING = b"\x00" * 32  # stands in for a deleted leaf so later positions stay comparable


@dataclass
class Problem:
    """One thing found wrong, with the first leaf it concerns."""

    kind: str  # changed | missing | inserted | reordered | tree | signature | tree_head
    detail: str
    leaf_index: int | None = None


@dataclass
class IntegrityReport:
    """What the check found."""

    tree_size: int
    entries_checked: int = 0
    tree_heads_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing found."""
        return not self.problems

    def to_dict(self) -> dict:
        """As JSON-ready data."""
        return {"ok": self.ok, **asdict(self)}


# Rows and stored nodes are read in chunks, and each chunk is hashed and compared in a worker
# thread (asyncio.to_thread) while the event loop serves other requests: the whole log is
# hashed again, seconds of CPU at a few hundred thousand entries.
ENTRY_CHUNK = 2000
NODE_CHUNK = 5000
_ENTRY_COLUMNS = (
    AuditEntry.leaf_index,
    AuditEntry.event_id,
    AuditEntry.event_type,
    AuditEntry.source,
    AuditEntry.subject,
    AuditEntry.event_time,
    AuditEntry.org_id,
    AuditEntry.project_id,
    AuditEntry.actor,
    AuditEntry.payload_type,
    AuditEntry.payload,
    AuditEntry.entry,
    AuditEntry.leaf_hash,
)


class _Check:
    """The check's state; its methods run in a worker thread, one chunk at a time (the event
    loop only reads the next chunk meanwhile), so none runs while another does."""

    def __init__(self, report: IntegrityReport, limit: int) -> None:
        self.report, self.limit = report, limit
        self.leaves: list[bytes] = []
        self.flagged: list[int] = []  # leaves already named, so their ancestors are not again
        self.levels: list[list[bytes]] = []
        self.counts: list[int] = []
        self.named: list[int] = []

    def problem(self, kind: str, detail: str, leaf: int | None = None) -> None:
        if len(self.report.problems) < self.limit:
            self.report.problems.append(Problem(kind, detail, leaf))

    def entries(self, rows) -> None:
        """Recompute the leaves of a chunk of entry rows (in leaf order)."""
        report, leaves = self.report, self.leaves
        for row in rows:
            i = row.leaf_index
            report.entries_checked += 1
            if i >= report.tree_size or i < len(leaves):
                self.problem(
                    "inserted",
                    f"leaf {i}: a row beyond the tree's {report.tree_size} leaves "
                    "or a second row at one position (inserted)",
                    i,
                )
                self.flagged.append(i)
                continue
            if i > len(leaves):
                self.problem(
                    "missing",
                    f"leaves {len(leaves)}..{i - 1} are missing (deleted rows)",
                    len(leaves),
                )
                self.flagged += range(len(leaves), i)
                leaves += [MISSING] * (i - len(leaves))
            if row.entry != entry_of_row(row):
                self.problem(
                    "changed", f"leaf {i}: the row's columns no longer match its entry bytes", i
                )
                self.flagged.append(i)
            elif merkle.leaf_hash(row.entry) != row.leaf_hash:
                self.problem(
                    "changed", f"leaf {i}: the entry bytes no longer match their leaf hash", i
                )
                self.flagged.append(i)
            leaves.append(merkle.leaf_hash(row.entry))

    def rebuild(self) -> None:
        """After the last entry: the leaves missing at the end, then every perfect subtree
        rebuilt bottom-up."""
        report, leaves = self.report, self.leaves
        if len(leaves) < report.tree_size:
            self.problem(
                "missing",
                f"the tree has {report.tree_size} leaves but the last entry is leaf "
                f"{len(leaves) - 1} (deleted rows)",
                len(leaves),
            )
            self.flagged += range(len(leaves), report.tree_size)
            leaves += [MISSING] * (report.tree_size - len(leaves))
        self.levels = [leaves]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [merkle.node_hash(below[k], below[k + 1]) for k in range(0, len(below) - 1, 2)]
            )
        self.counts = [0] * len(self.levels)
        self.named = sorted(set(self.flagged))

    def nodes(self, rows) -> None:
        """Compare a chunk of stored nodes (in (level, idx) order) with the rebuilt ones."""
        levels, named = self.levels, self.named
        for level, idx, h in rows:
            first, last = idx << level, ((idx + 1) << level) - 1
            known = level < len(levels) and idx < len(levels[level])
            if known:
                self.counts[level] += 1
            if known and h == levels[level][idx]:
                continue
            k = bisect.bisect_left(named, first)
            if k < len(named) and named[k] <= last:
                continue  # a consequence of a change already named below it
            if not known:
                self.problem(
                    "inserted",
                    f"a stored subtree (level {level}, index {idx}) lies outside the tree",
                    first,
                )
            elif level == 0:
                kind = "reordered" if h in self.leaves else "tree"
                self.problem(
                    kind, f"leaf {first}: the tree holds another leaf hash at this position", first
                )
            else:
                self.problem(
                    "tree",
                    f"the stored subtree of leaves {first}..{last} differs from the one "
                    "recomputed from the entries",
                    first,
                )
            bisect.insort(named, first)

    def finish(self, heads: list[TreeHead], public_keys: dict[str, str]) -> None:
        """After the last stored node: the subtrees the stored tree lacks; then every signed
        tree head must still verify and match the entries it covered."""
        for level, expected in enumerate(self.levels):
            if self.counts[level] < len(expected):
                self.problem(
                    "missing",
                    f"the stored tree lacks {len(expected) - self.counts[level]} subtrees of "
                    f"level {level}",
                )
        levels, leaves, problem = self.levels, self.leaves, self.problem
        last_good = 0
        for head in heads:
            self.report.tree_heads_checked += 1
            pem = public_keys.get(head.key_id)
            if pem is None:
                problem(
                    "signature",
                    f"the tree head of size {head.tree_size} signed at "
                    f"{head.signed_at.isoformat()} names key {head.key_id}, which is not among "
                    "the known keys (GOVIT_AUDIT_PREVIOUS_PUBLIC_KEY_FILES lists keys rotated "
                    "out)",
                )
                continue
            if not verify_tree_head(
                pem, head.tree_size, head.root_hash, head.signed_at, head.signature
            ):
                problem(
                    "signature",
                    f"the tree head of size {head.tree_size} signed at "
                    f"{head.signed_at.isoformat()} has a bad signature",
                )
                continue
            if head.tree_size > len(leaves):
                problem(
                    "missing",
                    f"a signed tree head covers {head.tree_size} leaves; the log has {len(leaves)}",
                    len(leaves),
                )
                continue
            root = (
                merkle.range_hash(0, head.tree_size, lambda lv, ix: levels[lv][ix])
                if (head.tree_size)
                else merkle.root_of([])
            )
            if root != head.root_hash:
                problem(
                    "tree_head",
                    f"the entries no longer produce the root signed at "
                    f"{head.signed_at.isoformat()} for size {head.tree_size}: a change lies in "
                    f"leaves {last_good}..{head.tree_size - 1}",
                    last_good,
                )
            else:
                last_good = head.tree_size


async def check(
    session: AsyncSession, public_keys: dict[str, str], limit: int = 100
) -> IntegrityReport:
    """Recompute every leaf and subtree from the entries; compare with the stored tree and the
    signed tree heads, each checked with the key it names (public_keys: key id -> PEM, the
    current key and those rotated out). At most `limit` problems, the most precise first:
    entries, then subtrees, then signed heads. The hashing runs in a worker thread, a chunk of
    rows at a time, so the event loop stays free for other requests meanwhile."""
    state = _Check(IntegrityReport(tree_size=await tree_size(session)), limit)
    entries = await session.stream(
        select(*_ENTRY_COLUMNS)
        .order_by(AuditEntry.leaf_index)
        .execution_options(yield_per=ENTRY_CHUNK)
    )
    async for rows in entries.partitions():
        await asyncio.to_thread(state.entries, rows)
    await asyncio.to_thread(state.rebuild)
    stored = await session.stream(
        select(MerkleNode.level, MerkleNode.idx, MerkleNode.hash)
        .order_by(MerkleNode.level, MerkleNode.idx)
        .execution_options(yield_per=NODE_CHUNK)
    )
    async for rows in stored.partitions():
        await asyncio.to_thread(state.nodes, rows)
    heads = list(await session.scalars(select(TreeHead).order_by(TreeHead.tree_size, TreeHead.id)))
    await asyncio.to_thread(state.finish, heads, public_keys)
    return state.report
