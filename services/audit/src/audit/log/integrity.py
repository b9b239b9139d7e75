"""The consistency check: recompute the whole log from its entries and compare with what is
stored and with every signed tree head, so any direct change to the tables is found and named."""

from __future__ import annotations

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


async def check(
    session: AsyncSession, public_keys: dict[str, str], limit: int = 100
) -> IntegrityReport:
    """Recompute every leaf and subtree from the entries; compare with the stored tree and the
    signed tree heads, each checked with the key it names (public_keys: key id -> PEM, the
    current key and those rotated out). At most `limit` problems, the most precise first."""
    report = IntegrityReport(tree_size=await tree_size(session))

    def problem(kind: str, detail: str, leaf: int | None = None) -> None:
        if len(report.problems) < limit:
            report.problems.append(Problem(kind, detail, leaf))

    leaves: list[bytes] = []
    flagged: list[int] = []  # leaves already named, so their ancestors are not named again
    rows = await session.stream_scalars(
        select(AuditEntry).order_by(AuditEntry.leaf_index).execution_options(yield_per=2000)
    )
    async for row in rows:
        i = row.leaf_index
        report.entries_checked += 1
        if i >= report.tree_size or i < len(leaves):
            problem(
                "inserted",
                f"leaf {i}: a row beyond the tree's {report.tree_size} leaves "
                "or a second row at one position (inserted)",
                i,
            )
            flagged.append(i)
            continue
        if i > len(leaves):
            problem(
                "missing", f"leaves {len(leaves)}..{i - 1} are missing (deleted rows)", len(leaves)
            )
            flagged += range(len(leaves), i)
            leaves += [MISSING] * (i - len(leaves))
        if row.entry != entry_of_row(row):
            problem("changed", f"leaf {i}: the row's columns no longer match its entry bytes", i)
            flagged.append(i)
        elif merkle.leaf_hash(row.entry) != row.leaf_hash:
            problem("changed", f"leaf {i}: the entry bytes no longer match their leaf hash", i)
            flagged.append(i)
        leaves.append(merkle.leaf_hash(row.entry))
    if len(leaves) < report.tree_size:
        problem(
            "missing",
            f"the tree has {report.tree_size} leaves but the last entry is leaf "
            f"{len(leaves) - 1} (deleted rows)",
            len(leaves),
        )
        flagged += range(len(leaves), report.tree_size)
        leaves += [MISSING] * (report.tree_size - len(leaves))

    # Rebuild every perfect subtree bottom-up and compare with the stored nodes.
    levels = [leaves]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append(
            [merkle.node_hash(below[k], below[k + 1]) for k in range(0, len(below) - 1, 2)]
        )
    stored = await session.stream(
        select(MerkleNode.level, MerkleNode.idx, MerkleNode.hash)
        .order_by(MerkleNode.level, MerkleNode.idx)
        .execution_options(yield_per=5000)
    )
    counts = [0] * len(levels)
    named = sorted(set(flagged))
    async for level, idx, h in stored:
        first, last = idx << level, ((idx + 1) << level) - 1
        known = level < len(levels) and idx < len(levels[level])
        if known:
            counts[level] += 1
        if known and h == levels[level][idx]:
            continue
        k = bisect.bisect_left(named, first)
        if k < len(named) and named[k] <= last:
            continue  # a consequence of a change already named below it
        if not known:
            problem(
                "inserted",
                f"a stored subtree (level {level}, index {idx}) lies outside the tree",
                first,
            )
        elif level == 0:
            kind = "reordered" if h in leaves else "tree"
            problem(kind, f"leaf {first}: the tree holds another leaf hash at this position", first)
        else:
            problem(
                "tree",
                f"the stored subtree of leaves {first}..{last} differs from the one "
                "recomputed from the entries",
                first,
            )
        bisect.insort(named, first)
    for level, expected in enumerate(levels):
        if counts[level] < len(expected):
            problem(
                "missing",
                f"the stored tree lacks {len(expected) - counts[level]} subtrees of level {level}",
            )

    # Every signed tree head must still verify and match the entries it covered.
    last_good = 0
    heads = await session.scalars(select(TreeHead).order_by(TreeHead.tree_size, TreeHead.id))
    for head in heads:
        report.tree_heads_checked += 1
        pem = public_keys.get(head.key_id)
        if pem is None:
            problem(
                "signature",
                f"the tree head of size {head.tree_size} signed at {head.signed_at.isoformat()} "
                f"names key {head.key_id}, which is not among the known keys "
                "(GOVIT_AUDIT_PREVIOUS_PUBLIC_KEY_FILES lists keys rotated out)",
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
    return report  # most precise first: entries, then subtrees, then signed heads
