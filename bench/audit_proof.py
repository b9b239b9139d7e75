"""Inclusion proofs at 10,000 and at 1,000,000 entries: is producing one O(log n)?

Figure: `audit.log.service.inclusion_proof` for random leaves of a 1,000,000-entry log, in
proofs/s. Reference: the same for a 10,000-entry log, measured in the same run. The ratio is
the goal (within 2x, so at least 0.5): the proof reads about log2(n) stored subtrees in one
query, so 100 times the entries should cost a handful more hashes, not 100 times the time.
Both logs are built in memory and loaded in bulk (bench/audit_tree.py); only proofs are timed.
With fewer than 1,000 operations (--quick) the large log has 100,000 entries, not a million.
"""

from __future__ import annotations

import random
import time

from audit.db import Base
from audit.log import merkle, service
from bench.audit_tree import entry, levels, load
from bench.infra import Infra, Result, alternate

NAME = "audit_proof"
SMALL, LARGE, QUICK_LARGE = 10_000, 1_000_000, 100_000
WARMUP = 20


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    large = LARGE if n >= 1000 else QUICK_LARGE
    rng = random.Random(6962)
    async with (
        infra.database(f"{NAME}_small", Base.metadata, "audit") as small_db,
        infra.database(f"{NAME}_large", Base.metadata, "audit") as large_db,
    ):
        trees = {}
        for db, size in ((small_db, SMALL), (large_db, large)):
            tree = levels([merkle.leaf_hash(entry(i)) for i in range(size)])
            await load(db, tree)
            trees[size] = tree

        def prover(db, size):
            async def prove(count: int) -> float:
                leaves = [rng.randrange(size) for _ in range(count)]
                start = time.perf_counter()
                for leaf in leaves:
                    async with db.sessions() as session:
                        await service.inclusion_proof(session, leaf, size)
                return time.perf_counter() - start

            return prove

        # The proofs served are the right ones: check a few against the in-memory tree.
        for leaf in (0, large // 3, large - 1):
            async with large_db.sessions() as session:
                got = await service.inclusion_proof(session, leaf, large)
            merkle.verify_inclusion(leaf, large, trees[large][0][leaf], got, _root(trees[large]))

        reference, subject = prover(small_db, SMALL), prover(large_db, large)
        warm = time.perf_counter()
        await reference(WARMUP)
        await subject(WARMUP)
        timed = await alternate(
            n, budget_s, (time.perf_counter() - warm) / WARMUP, reference, subject
        )
    return Result(
        f"{NAME} ({large:,})",
        timed.n / timed.subject_s,
        "proofs/s",
        f"same at {SMALL:,} entries",
        timed.n / timed.reference_s,
        "proofs/s",
        timed.n,
    )


def _root(tree: list[list[bytes]]) -> bytes:
    size = len(tree[0])
    return merkle.range_hash(0, size, lambda lv, ix: tree[lv][ix])
