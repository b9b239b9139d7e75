"""The audit exchange bundle (J4): a real bundle verifies offline, by the function and by the
`govit-audit-verify` command; each kind of tampering fails, and the first problem names where."""

import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from audit.exchange import bundle
from audit.exchange.bundle import ENTRIES, FORMAT, MANIFEST, verify_bundle, write_bundle
from audit.log import merkle
from audit.log.service import canonical_entry
from audit.log.signing import Signer, key_id

SIZE = 300
SIGNED_AT = datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)


class MemoryLog:
    """The audit log's Merkle tree in memory, built as the service builds it (append_nodes)."""

    def __init__(self) -> None:
        self.entries: list[bytes] = []
        self.nodes: dict[tuple[int, int], bytes] = {}

    def append(self, entry: bytes) -> None:
        index = len(self.entries)
        for level, idx, h in merkle.append_nodes(
            index, merkle.leaf_hash(entry), lambda lv, ix: self.nodes[(lv, ix)]
        ):
            self.nodes[(level, idx)] = h
        self.entries.append(entry)

    def _hash(self, start: int, end: int) -> bytes:
        return merkle.range_hash(start, end, lambda lv, ix: self.nodes[(lv, ix)])

    def root(self, size: int) -> bytes:
        return self._hash(0, size) if size else hashlib.sha256(b"").digest()

    def proof(self, index: int, size: int) -> list[bytes]:
        return [self._hash(a, z) for a, z in merkle.inclusion_ranges(index, size)]

    def rows(self, indices, size: int):
        for i in indices:
            yield {
                "leaf_index": i,
                "entry": self.entries[i],
                "leaf_hash": merkle.leaf_hash(self.entries[i]),
                "inclusion_proof": self.proof(i, size),
            }


def synthetic_entry(i: int) -> bytes:
    return canonical_entry(
        event_id=f"00000000-0000-4000-8000-{i:012d}",
        event_type=("govit.intake.project.submitted", "govit.finance.payment.made")[i % 2],
        source=("intake", "finance", "review")[i % 3],
        subject=f"p-{i % 17}",
        event_time=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=i),
        org_id=f"org-{i % 5}",
        project_id=f"p-{i % 17}",
        actor=None if i % 11 == 0 else f"user-{i % 7}",
        payload_type="govit.common.v1.OrgRef",
        payload=bytes(range(i % 40)) + "é".encode(),
    )


@pytest.fixture(scope="module")
def log() -> MemoryLog:
    log = MemoryLog()
    for i in range(SIZE):
        log.append(synthetic_entry(i))
    return log


@pytest.fixture(scope="module")
def signer(tmp_path_factory) -> Signer:
    return Signer.from_file(tmp_path_factory.mktemp("keys") / "audit.key")


@pytest.fixture(scope="module")
def stranger(tmp_path_factory) -> Signer:
    return Signer.from_file(tmp_path_factory.mktemp("keys") / "other.key")


def head(log: MemoryLog, signer: Signer, size: int = SIZE, at: datetime = SIGNED_AT) -> dict:
    root = log.root(size)
    return {
        "tree_size": size,
        "root_hash": root,
        "signed_at": at,
        "signature": signer.sign(size, root, at),
        "key_id": key_id(signer.public_pem),
    }


def make(path: Path, log: MemoryLog, signer: Signer, indices=range(SIZE), size=SIZE, **kw) -> Path:
    count = write_bundle(
        path,
        tree_head=head(log, signer, size),
        public_key_pem=signer.public_pem,
        filters=kw.pop("filters", {"project_id": "p-1", "since": datetime(2025, 1, 1, tzinfo=UTC)}),
        entries=log.rows(indices, size),
        **kw,
    )
    assert count == len(indices)
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory, log, signer) -> Path:
    return make(tmp_path_factory.mktemp("bundles") / "good.zip", log, signer)


def members(path: Path) -> tuple[dict, list[bytes]]:
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        lines = zf.read(ENTRIES).splitlines(keepends=True)
    return manifest, lines


def rezip(
    path: Path, manifest: dict, lines: list[bytes], *, fix_digest: bool = True, raw_manifest=None
) -> Path:
    """Write a tampered copy; with fix_digest the tamperer also updates count and SHA-256, so
    only the signed content can give it away."""
    data = b"".join(lines)
    if fix_digest:
        manifest = json.loads(json.dumps(manifest))
        manifest["entries"]["count"] = len(lines)
        manifest["entries"]["sha256"] = hashlib.sha256(data).hexdigest()
    text = raw_manifest if raw_manifest is not None else json.dumps(manifest, indent=2).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(ENTRIES, data)
        zf.writestr(MANIFEST, text)
    return path


def edit_line(lines: list[bytes], n: int, change) -> list[bytes]:
    """Apply `change` to the JSON object on line n (1-based) and write it back canonically."""
    obj = json.loads(lines[n - 1])
    change(obj)
    out = list(lines)
    out[n - 1] = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    return out


def flip_hex(text: str, at: int = 10) -> str:
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]


def first_problem(path: Path, trusted: str | None = None) -> str:
    report = verify_bundle(path, trusted)
    assert not report.ok
    assert len(report.problems) == 1  # stops at the first by default
    slow = verify_bundle(path, trusted, fast=False)  # the memoised walk agrees with merkle's
    assert not slow.ok
    return report.problems[0]


# --- a good bundle ---------------------------------------------------------------------------


def test_a_good_bundle_verifies(good, log, signer):
    report = verify_bundle(good)
    assert report.ok, report.problems
    assert report.checked == report.lines == SIZE
    assert report.tree_size == SIZE
    assert report.root_hash == log.root(SIZE).hex()
    assert report.signed_at == SIGNED_AT.isoformat()
    assert report.key_id == key_id(signer.public_pem)
    assert not report.key_trusted
    assert any("taken from the bundle itself" in note for note in report.notes)
    assert report.summary() == (
        f"OK: {SIZE} entries, tree size {SIZE}, root {log.root(SIZE).hex()}, signed at "
        f"{SIGNED_AT.isoformat()} by key {key_id(signer.public_pem)}"
    )
    trusted = verify_bundle(good, signer.public_pem)
    assert trusted.ok and trusted.key_trusted and not trusted.notes
    assert verify_bundle(good, fast=False).ok


def test_the_format_on_disk(good, log, signer):
    manifest, lines = members(good)
    with zipfile.ZipFile(good) as zf:
        assert sorted(zf.namelist()) == [ENTRIES, MANIFEST]
    assert manifest["format"] == FORMAT == "govit-audit-bundle/1"
    assert datetime.fromisoformat(manifest["created_at"]).utcoffset() == timedelta(0)
    assert manifest["filters"] == {"project_id": "p-1", "since": "2025-01-01T00:00:00+00:00"}
    root = log.root(SIZE)
    assert manifest["tree_head"] == {
        "tree_size": SIZE,
        "root_hash": root.hex(),
        "signed_at": SIGNED_AT.isoformat(),
        "signature": base64.b64encode(signer.sign(SIZE, root, SIGNED_AT)).decode(),
        "key_id": key_id(signer.public_pem),
    }
    assert manifest["public_key"] == signer.public_pem
    data = b"".join(lines)
    assert manifest["entries"] == {
        "file": ENTRIES,
        "count": SIZE,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    for i, line in enumerate(lines):
        obj = json.loads(line)
        assert list(obj) == ["leaf_index", "entry", "leaf_hash", "inclusion_proof"]
        assert obj["leaf_index"] == i
        assert base64.b64decode(obj["entry"]) == log.entries[i]
        assert obj["leaf_hash"] == merkle.leaf_hash(log.entries[i]).hex()
        assert obj["inclusion_proof"] == [h.hex() for h in log.proof(i, SIZE)]
        assert line == (json.dumps(obj, separators=(",", ":")) + "\n").encode()  # canonical


def test_the_format_is_documented():
    doc = (Path(bundle.__file__).parent / "FORMAT.md").read_text()
    for word in (FORMAT, "manifest.json", "entries.jsonl", "inclusion_proof", "govit-audit-verify"):
        assert word in doc
        assert word in bundle.__doc__ or word == "govit-audit-verify"


def test_a_subset_export_verifies(tmp_path, log, signer):
    """Every 7th leaf (an export for one project) under a tree head of all 300."""
    path = make(tmp_path / "subset.zip", log, signer, indices=range(3, SIZE, 7))
    report = verify_bundle(path, signer.public_pem)
    assert report.ok, report.problems
    assert report.checked == len(range(3, SIZE, 7))
    assert verify_bundle(path, fast=False).ok


def test_an_export_under_a_later_tree_head(tmp_path, log, signer):
    path = make(tmp_path / "older.zip", log, signer, indices=range(0, 120), size=250)
    assert verify_bundle(path).ok


def test_empty_bundles(tmp_path, log, signer):
    assert verify_bundle(make(tmp_path / "none.zip", log, signer, indices=[])).ok
    empty = make(tmp_path / "empty-tree.zip", log, signer, indices=[], size=0)
    report = verify_bundle(empty)
    assert report.ok and report.tree_size == 0
    assert report.root_hash == hashlib.sha256(b"").hexdigest()


def test_proofs_are_memoised(tmp_path, log, signer, good):
    """Consecutive leaves cost about one interior hash each, not log2(n)."""
    assert verify_bundle(good).node_hashes < SIZE
    subset = make(tmp_path / "subset.zip", log, signer, indices=range(0, SIZE, 7))
    report = verify_bundle(subset)
    assert report.ok and report.node_hashes <= 4 * report.checked  # log2(7) + 1 per leaf


def test_writing_to_a_file_object(log, signer):
    out = io.BytesIO()
    write_bundle(
        out,
        tree_head={**head(log, signer), "signed_at": SIGNED_AT.isoformat()},
        public_key_pem=signer.public_pem,
        filters={},
        entries=({**row, "leaf_hash": None} for row in log.rows(range(10), SIZE)),
    )
    out.seek(0)
    report = verify_bundle(out)
    assert report.ok and report.checked == 10


def test_the_writer_refuses_what_would_not_verify(tmp_path, log, signer, stranger):
    def write(**kw):
        args = {
            "tree_head": head(log, signer),
            "public_key_pem": signer.public_pem,
            "filters": {},
            "entries": log.rows(range(3), SIZE),
        }
        write_bundle(tmp_path / "x.zip", **{**args, **kw})

    with pytest.raises(ValueError, match="does not verify"):
        write(public_key_pem=stranger.public_pem, tree_head={**head(log, signer), "key_id": None})
    with pytest.raises(ValueError, match="key_id"):
        write(tree_head={**head(log, signer), "key_id": "0" * 16})
    with pytest.raises(ValueError, match="ascend"):
        write(entries=log.rows([1, 0], SIZE))
    with pytest.raises(ValueError, match="outside the signed tree"):
        write(entries=log.rows([0], SIZE), tree_head=head(log, signer, size=0))
    with pytest.raises(ValueError, match="isoformat"):
        write(tree_head={**head(log, signer), "signed_at": "2025-03-01 08:00:00.123456+00:00"})
    assert not list(tmp_path.iterdir())  # nothing half-written is left behind


# --- tampering: each must fail, and the first problem says where -----------------------------

LINE = 42  # leaf 41


def test_a_changed_byte_of_an_entry(tmp_path, good):
    manifest, lines = members(good)

    def change(obj):
        entry = bytearray(base64.b64decode(obj["entry"]))
        entry[20] ^= 0x01
        obj["entry"] = base64.b64encode(entry).decode()

    problem = first_problem(rezip(tmp_path / "t.zip", manifest, edit_line(lines, LINE, change)))
    assert problem.startswith(f"entry at line {LINE} (leaf {LINE - 1}): ")
    assert "entry bytes were changed" in problem


def test_a_changed_entry_with_its_leaf_hash_recomputed(tmp_path, good):
    manifest, lines = members(good)

    def change(obj):
        entry = bytearray(base64.b64decode(obj["entry"]))
        entry[-3] ^= 0x01
        obj["entry"] = base64.b64encode(entry).decode()
        obj["leaf_hash"] = merkle.leaf_hash(bytes(entry)).hex()

    problem = first_problem(rezip(tmp_path / "t.zip", manifest, edit_line(lines, LINE, change)))
    assert problem.startswith(f"entry at line {LINE} (leaf {LINE - 1}): inclusion proof")
    assert "not the one the signed tree has at leaf 41" in problem


def test_a_changed_leaf_hash(tmp_path, good):
    manifest, lines = members(good)

    def change(obj):
        obj["leaf_hash"] = flip_hex(obj["leaf_hash"])

    problem = first_problem(rezip(tmp_path / "t.zip", manifest, edit_line(lines, LINE, change)))
    assert problem.startswith(f"entry at line {LINE} (leaf {LINE - 1}): ")
    assert "leaf_hash field was changed" in problem


@pytest.mark.parametrize(("line", "k"), [(1, 0), (1, 8), (LINE, 0), (LINE, 3), (45, 0), (300, 1)])
def test_a_changed_proof_hash(tmp_path, good, line, k):
    manifest, lines = members(good)

    def change(obj):
        obj["inclusion_proof"][k] = flip_hex(obj["inclusion_proof"][k], 63)

    problem = first_problem(rezip(tmp_path / "t.zip", manifest, edit_line(lines, line, change)))
    assert problem.startswith(f"entry at line {line} (leaf {line - 1}): inclusion proof")


def test_a_changed_proof_hash_is_named(tmp_path, good):
    manifest, lines = members(good)

    def change(obj):
        obj["inclusion_proof"][3] = flip_hex(obj["inclusion_proof"][3])

    problem = first_problem(rezip(tmp_path / "t.zip", manifest, edit_line(lines, LINE, change)))
    assert f"entry at line {LINE} (leaf {LINE - 1})" in problem and "proof hash 3" in problem


def test_a_dropped_or_extra_proof_hash(tmp_path, good):
    manifest, lines = members(good)
    dropped = edit_line(lines, LINE, lambda obj: obj["inclusion_proof"].pop(2))
    problem = first_problem(rezip(tmp_path / "d.zip", manifest, dropped))
    assert problem.startswith(f"entry at line {LINE} (leaf {LINE - 1}): ")
    assert "proof has 8 hashes; leaf 41 of 300 needs 9" in problem
    extra = edit_line(lines, LINE, lambda obj: obj["inclusion_proof"].append("00" * 32))
    problem = first_problem(rezip(tmp_path / "e.zip", manifest, extra))
    assert "entry at line 42 (leaf 41)" in problem and "proof has 10 hashes" in problem


@pytest.mark.parametrize("field", ["root_hash", "signature", "tree_size", "signed_at"])
def test_a_changed_tree_head(tmp_path, good, field):
    manifest, lines = members(good)
    th = manifest["tree_head"]
    if field == "root_hash":
        th["root_hash"] = flip_hex(th["root_hash"])
    elif field == "signature":
        sig = bytearray(base64.b64decode(th["signature"]))
        sig[5] ^= 0x01
        th["signature"] = base64.b64encode(sig).decode()
    elif field == "tree_size":
        th["tree_size"] += 1
    else:
        th["signed_at"] = (SIGNED_AT + timedelta(seconds=1)).isoformat()
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, lines))
    assert problem.startswith("manifest.json tree_head: the signature does not verify")


def test_a_changed_manifest_count(tmp_path, good):
    manifest, lines = members(good)
    manifest["entries"]["count"] += 1
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, lines, fix_digest=False))
    assert problem.startswith(f"entries.jsonl: {SIZE} entries, but manifest.json entries.count")


def test_a_dropped_entry(tmp_path, good):
    manifest, lines = members(good)
    dropped = lines[: LINE - 1] + lines[LINE:]
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, dropped, fix_digest=False))
    assert problem.startswith(f"entries.jsonl: {SIZE - 1} entries, but manifest.json")
    assert f"leaf {LINE - 2} (line {LINE - 1}) is followed by leaf {LINE}" in problem
    report = verify_bundle(tmp_path / "t.zip", all_problems=True)
    assert "SHA-256" in report.problems[1]


def test_a_dropped_entry_with_the_manifest_rewritten_is_a_smaller_export(tmp_path, good):
    """The manifest is not signed: a bundle proves what it holds, not that nothing was left
    out (FORMAT.md). Completeness is checked against the service, by leaf index."""
    manifest, lines = members(good)
    assert verify_bundle(rezip(tmp_path / "t.zip", manifest, lines[:10] + lines[11:])).ok


def test_swapped_lines(tmp_path, good):
    manifest, lines = members(good)
    swapped = list(lines)
    swapped[LINE - 1], swapped[LINE] = swapped[LINE], swapped[LINE - 1]
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, swapped))
    assert problem.startswith(f"entry at line {LINE + 1} (leaf {LINE - 1}): ")
    assert f"lines {LINE} and {LINE + 1} are out of order" in problem


def test_a_repeated_line(tmp_path, good):
    manifest, lines = members(good)
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, lines[:5] + lines[4:]))
    assert problem.startswith("entry at line 6 (leaf 4): leaf index is not above")


def test_a_leaf_beyond_the_tree(tmp_path, good):
    manifest, lines = members(good)
    extra = edit_line(lines, SIZE, lambda obj: obj.update(leaf_index=SIZE))
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, extra))
    assert problem.startswith(f"entry at line {SIZE} (leaf {SIZE}): leaf index is outside")


def test_another_key_and_a_trusted_key(tmp_path, log, signer, stranger):
    """A bundle made and signed by someone else is self-consistent; only the trusted key tells."""
    forged = make(tmp_path / "forged.zip", log, stranger)
    report = verify_bundle(forged)
    assert report.ok and any("taken from the bundle itself" in n for n in report.notes)
    problem = first_problem(forged, signer.public_pem)
    assert problem == (
        f"manifest.json public_key: key {key_id(stranger.public_pem)} is not the trusted key "
        f"{key_id(signer.public_pem)}"
    )
    everything = verify_bundle(forged, signer.public_pem, all_problems=True)
    assert "manifest.json tree_head: the signature does not verify" in everything.problems[1]


def test_a_swapped_public_key(tmp_path, good, stranger):
    manifest, lines = members(good)
    manifest["public_key"] = stranger.public_pem
    manifest["tree_head"]["key_id"] = key_id(stranger.public_pem)
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, lines))
    assert problem.startswith("manifest.json tree_head: the signature does not verify")


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda m: m.update(format="govit-audit-bundle/2"), "manifest.json format:"),
        (lambda m: m["tree_head"].update(key_id="0" * 16), "manifest.json tree_head.key_id:"),
        (lambda m: m["tree_head"].pop("root_hash"), "manifest.json tree_head.root_hash: missing"),
        (lambda m: m["tree_head"].update(tree_size="300"), "manifest.json tree_head.tree_size:"),
        (lambda m: m["entries"].update(file="other.jsonl"), "manifest.json entries.file"),
        (lambda m: m.update(public_key="-----BEGIN"), "manifest.json public_key:"),
        (lambda m: m.update(created_at="yesterday"), "manifest.json created_at:"),
        (
            lambda m: m["tree_head"].update(
                signed_at=m["tree_head"]["signed_at"].replace("T", " ")
            ),
            "manifest.json tree_head.signed_at:",
        ),
    ],
)
def test_manifest_fields_are_named(tmp_path, good, change, place):
    manifest, lines = members(good)
    change(manifest)
    problem = first_problem(rezip(tmp_path / "t.zip", manifest, lines))
    assert problem.startswith(place), problem


def test_broken_containers(tmp_path, good):
    (tmp_path / "junk.zip").write_bytes(b"not a zip at all")
    assert "not a ZIP file" in first_problem(tmp_path / "junk.zip")
    manifest, lines = members(good)
    with zipfile.ZipFile(tmp_path / "no-manifest.zip", "w") as zf:
        zf.writestr(ENTRIES, b"".join(lines))
    assert first_problem(tmp_path / "no-manifest.zip") == "manifest.json: missing from the bundle"
    broken = rezip(tmp_path / "m.zip", manifest, lines, raw_manifest=b"{not json")
    assert first_problem(broken).startswith("manifest.json: not JSON")
    with zipfile.ZipFile(tmp_path / "extra.zip", "w") as zf:
        zf.writestr(ENTRIES, b"".join(lines))
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr("notes.txt", b"hello")
    assert first_problem(tmp_path / "extra.zip").startswith(f"{tmp_path / 'extra.zip'}: unexpected")
    assert "cannot be read" in verify_bundle(tmp_path / "missing.zip").problems[0]


def test_damaged_compressed_bytes(tmp_path, good):
    """Flipping bytes inside the compressed entries: the CRC, the inflater or the checks fail."""
    data = good.read_bytes()
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(ENTRIES)
    name_len, extra_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"), int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")  # fmt: skip
    start = info.header_offset + 30 + name_len + extra_len
    for at in range(start, start + info.compress_size, max(1, info.compress_size // 25)):
        damaged = bytearray(data)
        damaged[at] ^= 0x10
        (tmp_path / "d.zip").write_bytes(bytes(damaged))
        report = verify_bundle(tmp_path / "d.zip")
        assert not report.ok, at
        assert report.problems[0].startswith(("entries.jsonl", "entry at line")), report.problems


def test_every_byte_of_the_entries_matters(tmp_path, log, signer):
    """Flip each byte of a small bundle's entries file (the tamperer fixing count and digest):
    every copy fails, naming the line that holds the byte; fast and slow checks agree."""
    small = make(tmp_path / "small.zip", log, signer, indices=[1, 2, 4], size=6)
    manifest, lines = members(small)
    data = b"".join(lines)
    line_of = [n for n, line in enumerate(lines, start=1) for _ in line]
    for at in range(len(data)):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        tampered = bytes(damaged).splitlines(keepends=True)
        for raw in tampered:
            values = bundle._read_canonical(raw)
            if values is not None:
                assert raw == bundle._line(*values)  # the fast reader only reads canonical lines
        path = rezip(tmp_path / "t.zip", manifest, tampered)
        report = verify_bundle(path)
        assert not report.ok, at
        assert report.problems[0].startswith(f"entry at line {line_of[at]}"), (at, report.problems)
        assert not verify_bundle(path, fast=False).ok


def test_all_problems_are_reported_on_request(tmp_path, good):
    manifest, lines = members(good)
    tampered = edit_line(lines, 10, lambda o: o.update(leaf_hash=flip_hex(o["leaf_hash"])))
    tampered = edit_line(tampered, 200, lambda o: o["inclusion_proof"].pop())
    path = rezip(tmp_path / "t.zip", manifest, tampered)
    assert len(verify_bundle(path).problems) == 1
    report = verify_bundle(path, all_problems=True)
    assert [p.split(":")[0] for p in report.problems] == [
        "entry at line 10 (leaf 9)",
        "entry at line 200 (leaf 199)",
    ]
    assert report.checked == SIZE - 2


# --- the command -------------------------------------------------------------------------------


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "audit.exchange.verify", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_the_command_is_installed():
    (script,) = entry_points(group="console_scripts", name="govit-audit-verify")
    assert script.value == "audit.exchange.verify:main"


def test_the_command_on_a_good_bundle(tmp_path, good, log, signer):
    done = run(good)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first == (
        f"OK: {SIZE} entries, tree size {SIZE}, root {log.root(SIZE).hex()}, signed at "
        f"{SIGNED_AT.isoformat()} by key {key_id(signer.public_pem)}"
    )
    assert "taken from the bundle itself" in done.stdout
    pem = tmp_path / "audit.pub"
    pem.write_text(signer.public_pem)
    done = run(good, "--public-key", pem)
    assert done.returncode == 0 and done.stdout.startswith("OK: ")
    assert "taken from the bundle" not in done.stdout


def test_the_command_on_bad_bundles(tmp_path, good, stranger):
    manifest, lines = members(good)
    swapped = list(lines)
    swapped[9], swapped[10] = swapped[10], swapped[9]
    path = rezip(tmp_path / "t.zip", manifest, swapped, fix_digest=False)
    done = run(path)
    assert done.returncode == 1
    assert done.stdout.startswith("FAIL: entry at line 11 (leaf 9): ")
    done = run(path, "--all")
    assert done.returncode == 1 and done.stdout.count("FAIL: ") == 2  # and the digest
    pem = tmp_path / "other.pub"
    pem.write_text(stranger.public_pem)
    done = run(good, "--public-key", pem)
    assert done.returncode == 1 and done.stdout.startswith("FAIL: manifest.json public_key: ")


def test_the_command_usage_errors(tmp_path, good):
    assert run().returncode == 2
    assert run(tmp_path / "missing.zip").returncode == 2
    (tmp_path / "bad.pem").write_text("not a key")
    assert run(good, "--public-key", tmp_path / "bad.pem").returncode == 2
    assert run(good, "--public-key", tmp_path / "missing.pem").returncode == 2
    assert run(good, "--bogus").returncode == 2


def test_the_command_runs_offline_without_the_platform(good):
    """Only the standard library, cryptography and audit.log.merkle / signing are loaded."""
    code = (
        "import sys, json\n"
        "from audit.exchange import verify\n"
        f"status = verify.main([{str(good)!r}])\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    status, modules = json.loads(done.stdout.splitlines()[-1])
    assert status == 0
    forbidden = ("govit_kit", "govit", "sqlalchemy", "nats", "fastapi", "pydantic", "grpc")
    loaded = [m for m in modules if m.split(".")[0] in forbidden]
    assert not loaded, loaded
    ours = {m for m in modules if m.split(".")[0] == "audit"}
    assert ours <= {"audit", "audit.log", "audit.log.merkle", "audit.log.signing"} | {
        "audit.exchange",
        "audit.exchange.bundle",
        "audit.exchange.verify",
    }, ours


def test_every_signed_byte_of_the_manifest_matters(tmp_path, log, signer):
    """Flip each byte of the tree head and the public key in manifest.json: every copy fails."""
    small = make(tmp_path / "small.zip", log, signer, indices=[1, 2], size=6)
    with zipfile.ZipFile(small) as zf:
        text = zf.read(MANIFEST)
    manifest, lines = members(small)
    start = text.index(b'"tree_head"')
    end = text.index(b'"entries"')
    assert b'"public_key"' in text[start:end]
    for at in range(start, end):
        if text[at : at + 1] in b" \n":  # JSON whitespace between tokens carries nothing
            continue
        damaged = bytearray(text)
        damaged[at] ^= 0x01
        path = rezip(tmp_path / "t.zip", manifest, lines, raw_manifest=bytes(damaged))
        report = verify_bundle(path)
        assert not report.ok, (at, text[at - 20 : at + 20])
        assert report.problems[0].startswith("manifest.json"), report.problems


def test_problems_are_capped(tmp_path, good, monkeypatch):
    manifest, lines = members(good)
    for n in (3, 5, 7):
        lines = edit_line(lines, n, lambda o: o.update(leaf_hash=flip_hex(o["leaf_hash"])))
    monkeypatch.setattr(bundle, "MAX_PROBLEMS", 2)
    report = verify_bundle(rezip(tmp_path / "t.zip", manifest, lines), all_problems=True)
    assert report.problems[2:] == ["... and 1 more problems"]
