"""The offline verifier on a bundle of 1,000,000 entries.

Figure: `govit-audit-verify`'s check (`audit.exchange.bundle.verify_bundle`) of a bundle holding
every entry of a 1,000,000-entry log with its inclusion proof, in entries/s (the line also gives
the seconds). Reference: only reading the same bundle (inflating the ZIP and parsing each JSON
line), in entries/s, measured in the same run: the ratio is the share of the verifier's time
that is reading. The bundle is made once, untimed, from a tree built in memory.
With fewer than 1,000 operations (--quick) the bundle has 10,000 entries.
"""

from __future__ import annotations

import json
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from audit.exchange.bundle import verify_bundle, write_bundle
from audit.log import merkle
from audit.log.signing import Signer
from bench.audit_tree import entry, levels, proof
from bench.infra import Infra, Result

NAME = "audit_verify"
LARGE, QUICK = 1_000_000, 10_000


def _read_only(path: Path) -> int:
    count = 0
    with zipfile.ZipFile(path) as z:
        json.loads(z.read("manifest.json"))
        with z.open("entries.jsonl") as f:
            for line in f:
                json.loads(line)
                count += 1
    return count


async def run(infra: Infra, n: int, budget_s: float) -> Result:
    size = LARGE if n >= 1000 else QUICK
    tmp = Path(infra.tmp.name)
    entries = [entry(i) for i in range(size)]
    tree = levels([merkle.leaf_hash(e) for e in entries])
    root = merkle.range_hash(0, size, lambda lv, ix: tree[lv][ix])
    signer = Signer.from_file(tmp / "bench-signing.key")
    signed_at = datetime.now(UTC)
    path = tmp / "bench-bundle.zip"
    write_bundle(
        path,
        tree_head={
            "tree_size": size,
            "root_hash": root,
            "signed_at": signed_at,
            "signature": signer.sign(size, root, signed_at),
        },
        public_key_pem=signer.public_pem,
        filters={"benchmark": NAME},
        entries=(
            {"leaf_index": i, "entry": e, "inclusion_proof": proof(tree, i, size)}
            for i, e in enumerate(entries)
        ),
    )
    try:
        start = time.perf_counter()
        assert _read_only(path) == size
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        report = verify_bundle(path, signer.public_pem)
        verify_s = time.perf_counter() - start
        if not report.ok:
            raise RuntimeError(f"the benchmark bundle did not verify: {report.summary()}")
    finally:
        path.unlink(missing_ok=True)
    return Result(
        f"{NAME} ({size:,}: {verify_s:.1f} s)",
        size / verify_s,
        "entries/s",
        "reading the same bundle only",
        size / read_s,
        "entries/s",
        size,
    )
