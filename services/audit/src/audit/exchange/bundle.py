"""The audit exchange bundle (J4), format ``govit-audit-bundle/1``: writing and verifying it.

A bundle hands the audit bureau a set of audit log entries (a project, an organisation, a period)
together with everything needed to check them offline: an inclusion proof for every entry, the
signed tree head the proofs lead to, and the public key of the signature. FORMAT.md next to this
module holds the same specification.

Container
---------
A ZIP file (deflate) with exactly two members:

``manifest.json``
    One JSON object (UTF-8)::

        {
          "format": "govit-audit-bundle/1",
          "created_at": "2025-03-01T08:00:00+00:00",      ISO 8601, UTC: when the bundle was made
          "filters": {"project_id": "p-1", ...},         what was asked for, as given (not checked)
          "tree_head": {
            "tree_size": 1234,                            leaves in the signed tree
            "root_hash": "<64 lowercase hex digits>",     RFC 6962 root of those leaves
            "signed_at": "2025-03-01T07:59:58.123456+00:00",
            "signature": "<standard base64>",             Ed25519 over the tree head message
            "key_id": "<16 hex digits>"                   SHA-256 of public_key (the PEM text), first 16
          },
          "public_key": "-----BEGIN PUBLIC KEY-----\\n...",  Ed25519, SubjectPublicKeyInfo PEM
          "entries": {"file": "entries.jsonl", "count": 3, "sha256": "<64 hex digits of the file>"}
        }

    The signature covers exactly these bytes (``audit.log.signing.tree_head_message``)::

        "govit-audit-tree-head/1\\n" + tree_size + "\\n" + root_hash (lowercase hex) + "\\n"
        + signed_at + "\\n"

    where ``signed_at`` is the manifest's string, which is Python's ``datetime.isoformat()`` of the
    signing time (so ``datetime.fromisoformat(s).isoformat() == s``).

``entries.jsonl``
    One JSON object per line, each line ending in ``\\n``, leaf indices strictly ascending::

        {"leaf_index":41,"entry":"<base64>","leaf_hash":"<hex>","inclusion_proof":["<hex>",...]}

    ``entry`` is the standard base64 of the entry bytes the leaf commits to (the canonical JSON of
    the event's CloudEvents attributes and base64 payload, ``audit.log.service.canonical_entry``);
    ``leaf_hash`` = SHA-256(0x00 || entry); ``inclusion_proof`` is the RFC 9162 audit path of the
    leaf in the tree of ``tree_size`` leaves, from the leaf up. Lines are in canonical form: keys
    in this order, no spaces, lowercase hex, canonical base64, so every byte of the file matters.

Verification (``verify_bundle``, the ``govit-audit-verify`` command), in this order:

1. the ZIP and ``manifest.json`` are readable, the format is ``govit-audit-bundle/1``, the
   fields have their types;
2. the public key parses (and equals the trusted key when one is given; otherwise the report
   says the key was taken from the bundle itself, which proves integrity, not origin);
   ``key_id`` is the key's id;
3. the tree head signature verifies;
4. per line: it parses, its leaf index is above the previous line's and below ``tree_size``,
   ``leaf_hash`` is the hash of ``entry``, the inclusion proof leads to the signed root, and the
   line is in canonical form;
5. the number of lines equals ``entries.count``;
6. the file's SHA-256 equals ``entries.sha256``.

What is authenticated: each entry's bytes and its position in the log signed by the key. What is
not: ``created_at``, ``filters`` and the ``entries`` count and digest are unsigned metadata; they
catch damage and careless edits, but a bundle cannot prove that no entry matching the filters was
left out (compare the leaf indices with the service's API for that).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import os
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization

from audit.log import merkle, signing
from audit.log.signing import key_id, load_public_key, verify_tree_head

FORMAT = "govit-audit-bundle/1"
MANIFEST = "manifest.json"
ENTRIES = "entries.jsonl"
MAX_PROBLEMS = 1000  # with all_problems, more are counted, not listed
MANIFEST_MAX = 1 << 20  # a manifest is a few kilobytes; refuse to read a huge one
_CHUNK = 1 << 20
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # members carry no meaningful time; created_at says when
_LINE_KEYS = ["leaf_index", "entry", "leaf_hash", "inclusion_proof"]
_HEAD_KEYS = {"tree_size", "root_hash", "signed_at", "signature", "key_id"}


# --- writing -----------------------------------------------------------------------------------


def _as_bytes(value: Any, what: str, *, hexed: bool) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, str):
        try:
            return bytes.fromhex(value) if hexed else base64.b64decode(value, validate=True)
        except (ValueError, binascii.Error) as e:
            raise ValueError(f"{what}: {e}") from None
    raise TypeError(f"{what} must be bytes or a {'hex' if hexed else 'base64'} string")


def _hash_of(value: Any, what: str) -> bytes:
    h = _as_bytes(value, what, hexed=True)
    if len(h) != merkle.HASH_SIZE:
        raise ValueError(f"{what} is {len(h)} bytes, not {merkle.HASH_SIZE}")
    return h


def _signed_at_text(value: datetime | str) -> str:
    """signed_at as the exact string the signature covers (datetime.isoformat())."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        text = datetime.fromisoformat(value).isoformat()
        if text != value:
            raise ValueError(
                f"tree_head.signed_at {value!r} is not in datetime.isoformat() form ({text!r}); "
                "the signature covers that form"
            )
        return text
    raise TypeError("tree_head.signed_at must be a datetime or an ISO 8601 string")


def _line(index: int, entry: bytes, leaf: bytes, proof: list[bytes]) -> bytes:
    """One canonical entries.jsonl line (the same bytes json.dumps(..., separators=(",", ":"))
    gives for these keys in this order)."""
    hashes = '"' + '","'.join(map(bytes.hex, proof)) + '"' if proof else ""
    return (
        f'{{"leaf_index":{index},"entry":"{base64.b64encode(entry).decode()}",'
        f'"leaf_hash":"{leaf.hex()}","inclusion_proof":[{hashes}]}}\n'
    ).encode()


def _read_canonical(raw: bytes) -> tuple[int, bytes, bytes, list[bytes]] | None:
    """The values of a line exactly as _line writes them, or None for any other line.

    The separators cannot occur inside the fields (digits, base64, hex), so a line this accepts
    is canonical JSON and holds the values json.loads would read; it is only faster."""
    if raw[:14] != b'{"leaf_index":' or raw[-3:] != b"]}\n":
        return None
    digits, sep1, rest = raw[14:-3].partition(b',"entry":"')
    text, sep2, rest = rest.partition(b'","leaf_hash":"')
    leaf_hex, sep3, proof_text = rest.partition(b'","inclusion_proof":[')
    if not (sep1 and sep2 and sep3 and digits.isdigit() and digits.isascii()):
        return None
    if digits[:1] == b"0" and digits != b"0":
        return None
    try:
        entry = base64.b64decode(text, validate=True)
        leaf = binascii.unhexlify(leaf_hex)
        if proof_text:
            if proof_text[:1] != b'"' or proof_text[-1:] != b'"':
                return None
            parts = proof_text[1:-1].split(b'","')
            joined = b"".join(parts)
            blob = binascii.unhexlify(joined)
        else:
            parts, joined, blob = [], b"", b""
    except (ValueError, binascii.Error):
        return None
    hex_size = 2 * merkle.HASH_SIZE
    if (
        len(leaf_hex) != hex_size
        or leaf_hex != leaf_hex.lower()
        or joined != joined.lower()
        or len(joined) != hex_size * len(parts)
        or (parts and set(map(len, parts)) != {hex_size})
        or base64.b64encode(entry) != text
    ):
        return None
    size = merkle.HASH_SIZE
    return int(digits), entry, leaf, [blob[i : i + size] for i in range(0, len(blob), size)]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"filters: {type(value).__name__} is not JSON")


def write_bundle(
    out: IO[bytes] | Path | str,
    *,
    tree_head: dict,
    public_key_pem: str,
    filters: dict,
    entries: Iterable[dict],
    created_at: datetime | None = None,
    check_signature: bool = True,
) -> int:
    """Write a bundle to `out` (a binary file object, or a path written atomically); return the
    number of entries.

    tree_head: tree_size, root_hash (bytes or hex), signed_at (the datetime that was signed, or
    its isoformat() string), signature (bytes or base64), key_id (optional; checked).
    entries: dicts in ascending leaf_index with leaf_index, entry (bytes), inclusion_proof (list
    of bytes or hex), and leaf_hash (bytes or hex; computed from entry when absent). They are
    written as given (a damaged stored entry shows up when the bundle is verified), streamed: the
    iterable may be a generator over millions of rows.
    With check_signature (the default), a tree head that does not verify with the key is refused
    (ValueError): such a bundle would be useless to its reader.
    """
    unknown = set(tree_head) - _HEAD_KEYS
    if unknown:
        raise ValueError(f"tree_head has unknown fields {sorted(unknown)}")
    # the canonical PEM (key_id hashes its text); ValueError if not an Ed25519 key
    pem = signing.public_key_pem(load_public_key(public_key_pem))
    size = tree_head["tree_size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"tree_head.tree_size must be a non-negative integer, not {size!r}")
    root = _hash_of(tree_head["root_hash"], "tree_head.root_hash")
    signed_at = _signed_at_text(tree_head["signed_at"])
    signature = _as_bytes(tree_head["signature"], "tree_head.signature", hexed=False)
    kid = key_id(pem)
    if tree_head.get("key_id") not in (None, kid):
        raise ValueError(f"tree_head.key_id {tree_head['key_id']!r} is not the key's id {kid!r}")
    if check_signature and not verify_tree_head(
        pem, size, root, datetime.fromisoformat(signed_at), signature
    ):
        raise ValueError(
            f"the tree head (size {size}, root {root.hex()}, signed at {signed_at}) does not "
            f"verify with key {kid}"
        )
    if not isinstance(filters, dict):
        raise TypeError("filters must be a dict")
    filters_json = json.loads(json.dumps(filters, default=_json_default))

    if isinstance(out, str | Path):
        path = Path(out)
        part = path.with_name(path.name + ".part")
        try:
            with part.open("wb") as f:
                count = write_bundle(
                    f,
                    tree_head=tree_head,
                    public_key_pem=pem,
                    filters=filters,
                    entries=entries,
                    created_at=created_at,
                    check_signature=False,
                )
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
        return count

    digest, count, previous = hashlib.sha256(), 0, -1
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(ENTRIES, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            chunk: list[bytes] = []
            pending = 0
            for e in entries:
                index = e["leaf_index"]
                if not isinstance(index, int) or isinstance(index, bool):
                    raise ValueError(f"entry {count}: leaf_index must be an integer")
                if index <= previous:
                    raise ValueError(f"entries must ascend: leaf {index} after leaf {previous}")
                if index >= size:
                    raise ValueError(f"leaf {index} is outside the signed tree of size {size}")
                entry = _as_bytes(e["entry"], f"leaf {index}: entry", hexed=False)
                given = e.get("leaf_hash")
                leaf = (
                    merkle.leaf_hash(entry)
                    if given is None
                    else _hash_of(given, f"leaf {index}: leaf_hash")
                )
                proof = [
                    _hash_of(h, f"leaf {index}: proof hash {n}")
                    for n, h in enumerate(e["inclusion_proof"])
                ]
                line = _line(index, entry, leaf, proof)
                digest.update(line)
                chunk.append(line)
                pending += len(line)
                if pending >= _CHUNK:
                    member.write(b"".join(chunk))
                    chunk, pending = [], 0
                count += 1
                previous = index
            member.write(b"".join(chunk))
        manifest = {
            "format": FORMAT,
            "created_at": (created_at or datetime.now(UTC)).astimezone(UTC).isoformat(),
            "filters": filters_json,
            "tree_head": {
                "tree_size": size,
                "root_hash": root.hex(),
                "signed_at": signed_at,
                "signature": base64.b64encode(signature).decode(),
                "key_id": kid,
            },
            "public_key": pem,
            "entries": {"file": ENTRIES, "count": count, "sha256": digest.hexdigest()},
        }
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        zf.writestr(zipfile.ZipInfo(MANIFEST, date_time=_ZIP_TIME), text.encode())
    return count


# --- verifying ---------------------------------------------------------------------------------


@dataclass
class Report:
    """What verify_bundle found. `problems` are in the order found; the first names the place:
    the ZIP member, the manifest field, or "entry at line N (leaf L)"."""

    checked: int = 0  # entries that passed every check
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: int = 0  # lines read from the entries file
    tree_size: int | None = None
    root_hash: str | None = None
    signed_at: str | None = None
    key_id: str | None = None
    key_trusted: bool = False  # the key was given by the caller, not taken from the bundle
    node_hashes: int = 0  # interior hashes computed to check the proofs (memoisation at work)

    @property
    def ok(self) -> bool:
        """Nothing wrong."""
        return not self.problems

    def summary(self) -> str:
        """One line: "OK: ..." or how many problems."""
        if self.ok:
            return (
                f"OK: {self.checked} entries, tree size {self.tree_size}, root {self.root_hash}, "
                f"signed at {self.signed_at} by key {self.key_id}"
            )
        return f"FAILED: {len(self.problems)} problem(s); first: {self.problems[0]}"


class _Stop(Exception):
    """Verification cannot or need not go on."""


class ProvenPath:
    """Checks inclusion proofs against one signed root, remembering the path of the last leaf
    proven: its node hash at every level and its proof (the siblings). A later leaf's path meets
    that proven path at the level where the two indices' bits part; the walk hashes only up to
    there and then compares, in C, what its proof says with what is proven: the node where the
    paths meet, the sibling there, and every hash above. For consecutive leaves that is about one
    interior hash per entry instead of log2(n), and the memo is O(log n) however big the bundle.

    Soundness: every hash this accepts is equal to one already proven to lead to the signed root
    (the first leaf, and any leaf not above the last one, walk all the way to the root), so the
    proof, hashed up, gives the same root. Entries in ascending leaf order get the shortcut.
    """

    def __init__(self, tree_size: int, root: bytes) -> None:
        self.size = tree_size
        self.root = root
        self.height = (tree_size - 1).bit_length() if tree_size > 0 else 0
        self.node_hashes = 0  # interior hashes computed so far
        self._last: int | None = None  # the last leaf proven,
        self._last_proof: list[bytes] = []  # its proof,
        self._last_inner = 0  # how many of its siblings are below the right border,
        self._path: list[bytes] = []  # and its node hash at each level 0..height

    def verify(self, index: int, leaf: bytes, proof: list[bytes]) -> None:
        """Raise merkle.ProofError unless `proof` puts `leaf` at `index` under the root."""
        size = self.size
        if not 0 <= index < size:
            raise merkle.ProofError(f"leaf index {index} is outside a tree of size {size}")
        if len(leaf) != merkle.HASH_SIZE:
            raise merkle.ProofError(f"leaf hash is {len(leaf)} bytes, not {merkle.HASH_SIZE}")
        if set(map(len, proof)) - {merkle.HASH_SIZE}:
            n, h = next((n, h) for n, h in enumerate(proof) if len(h) != merkle.HASH_SIZE)
            raise merkle.ProofError(f"proof hash {n} is {len(h)} bytes, not {merkle.HASH_SIZE}")
        inner = (index ^ (size - 1)).bit_length()
        need = inner + bin(index >> inner).count("1")
        if len(proof) != need:
            raise merkle.ProofError(
                f"proof has {len(proof)} hashes; leaf {index} of {size} needs {need}"
            )
        last = self._last
        if last is None or index <= last:  # walk to the root itself
            path = self._walk(index, leaf, proof, self.height)[0]
            if path[-1] != self.root:
                raise merkle.ProofError(
                    f"the inclusion proof leads to {path[-1].hex()}, not the signed root "
                    f"{self.root.hex()}"
                )
            self._path = path
        else:
            self._meet(index, leaf, proof, last)
        self._last, self._last_proof, self._last_inner = index, proof, inner

    def _walk(
        self, index: int, leaf: bytes, proof: list[bytes], top: int
    ) -> tuple[list[bytes], int]:
        """The node hashes of leaf `index`'s path at levels 0..top from its proof, and how many
        proof hashes that took."""
        size, node_hash = self.size, merkle.node_hash
        path, h, idx, k = [], leaf, index, 0
        for level in range(top):
            path.append(h)
            if idx & 1:
                h = node_hash(proof[k], h)
                k += 1
            elif (idx + 1) << level < size:  # a right sibling exists
                h = node_hash(h, proof[k])
                k += 1
            idx >>= 1
        path.append(h)
        self.node_hashes += k
        return path, k

    def _meet(self, index: int, leaf: bytes, proof: list[bytes], last: int) -> None:
        top = (index ^ last).bit_length() - 1  # index's node there is the right sibling of last's
        low, k = self._walk(index, leaf, proof, top)
        # where the sibling at `top` sits in last's proof: one per level below its inner part,
        # then one per set bit (a left sibling on the right border)
        inner = self._last_inner
        pos = (
            top
            if top <= inner
            else inner + bin((last >> inner) & ((1 << (top - inner)) - 1)).count("1")
        )
        known = self._last_proof
        if low[top] != known[pos]:
            if top == 0:
                raise merkle.ProofError(
                    f"the leaf hash is not the one the signed tree has at leaf {index} (leaf "
                    f"{last}'s proof holds that): the entry is not the one that was logged"
                )
            raise merkle.ProofError(
                f"the leaf hash and proof hashes 0..{k - 1} do not give the hash the signed tree "
                f"has at level {top} (leaves {index >> top << top}..{(index >> top << top) + (1 << top) - 1})"
            )
        if proof[k] != self._path[top]:
            raise merkle.ProofError(
                f"proof hash {k} (level {top}) is not the hash the signed tree has there"
            )
        if proof[k + 1 :] != known[pos + 1 :]:
            pairs = zip(proof[k + 1 :], known[pos + 1 :], strict=False)
            d = next((d for d, (a, b) in enumerate(pairs) if a != b), 0)
            raise merkle.ProofError(
                f"proof hash {k + 1 + d} is not the hash the signed tree has there"
            )
        self._path[: top + 1] = low


class _Verifier:
    def __init__(self, name: str, trusted_pem: str | None, all_problems: bool, fast: bool):
        self.name = name
        self.trusted_pem = trusted_pem
        self.all = all_problems
        self.fast = fast
        self.report = Report()
        self.suppressed = 0  # problems beyond MAX_PROBLEMS, counted only

    def problem(self, text: str, *, fatal: bool = False) -> None:
        if len(self.report.problems) < MAX_PROBLEMS:
            self.report.problems.append(text)
        else:
            self.suppressed += 1
        if fatal or not self.all:
            raise _Stop

    # manifest fields: each problem names the field
    def field(self, doc: dict, path: str, kind: type | tuple[type, ...]) -> Any:
        value: Any = doc
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                self.problem(f"{MANIFEST} {path}: missing", fatal=True)
            value = value[part]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.problem(f"{MANIFEST} {path}: {value!r} has the wrong type", fatal=True)
        return value

    def hex_field(self, doc: dict, path: str) -> bytes:
        text = self.field(doc, path, str)
        try:
            value = bytes.fromhex(text)
        except ValueError:
            value = b""
        if len(value) != merkle.HASH_SIZE or value.hex() != text:
            self.problem(f"{MANIFEST} {path}: not 64 lowercase hex digits", fatal=True)
        return value

    def run(self, source: Path | IO[bytes]) -> Report:
        try:
            try:
                zf = zipfile.ZipFile(source)
            except (zipfile.BadZipFile, EOFError) as e:
                self.problem(f"{self.name}: not a ZIP file ({e})", fatal=True)
            except OSError as e:
                self.problem(f"{self.name}: cannot be read ({e})", fatal=True)
            with zf:
                self.check(zf)
        except _Stop:
            pass
        except Exception as e:  # hostile input must give a report, never a traceback
            self.report.problems.append(f"{self.name}: could not be checked ({e!r})")
        if self.suppressed:
            self.report.problems.append(f"... and {self.suppressed} more problems")
        return self.report

    def check(self, zf: zipfile.ZipFile) -> None:
        r = self.report
        names = zf.namelist()
        for name in sorted(n for n, times in Counter(names).items() if times > 1):
            self.problem(f"{self.name}: member {name!r} appears more than once", fatal=True)
        if MANIFEST not in names:
            self.problem(f"{MANIFEST}: missing from the bundle", fatal=True)
        info = zf.getinfo(MANIFEST)
        if info.file_size > MANIFEST_MAX:
            self.problem(f"{MANIFEST}: {info.file_size} bytes, too large", fatal=True)
        try:
            doc = json.loads(zf.read(MANIFEST).decode())
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
            self.problem(f"{MANIFEST}: damaged ({e})", fatal=True)
        except ValueError as e:
            self.problem(f"{MANIFEST}: not JSON ({e})", fatal=True)
        if not isinstance(doc, dict):
            self.problem(f"{MANIFEST}: not a JSON object", fatal=True)
        fmt = doc.get("format")
        if fmt != FORMAT:
            self.problem(
                f"{MANIFEST} format: {fmt!r} is not a known bundle format (this verifier reads "
                f"{FORMAT})",
                fatal=True,
            )
        size = self.field(doc, "tree_head.tree_size", int)
        if size < 0:
            self.problem(f"{MANIFEST} tree_head.tree_size: {size} is negative", fatal=True)
        root = self.hex_field(doc, "tree_head.root_hash")
        signed_at = self.field(doc, "tree_head.signed_at", str)
        signature_text = self.field(doc, "tree_head.signature", str)
        kid = self.field(doc, "tree_head.key_id", str)
        pem = self.field(doc, "public_key", str)
        member = self.field(doc, "entries.file", str)
        count = self.field(doc, "entries.count", int)
        digest = self.hex_field(doc, "entries.sha256")
        r.tree_size, r.root_hash, r.signed_at, r.key_id = size, root.hex(), signed_at, kid
        try:
            when = datetime.fromisoformat(signed_at)
        except ValueError:
            self.problem(f"{MANIFEST} tree_head.signed_at: not an ISO 8601 time", fatal=True)
        try:
            signature = base64.b64decode(signature_text, validate=True)
        except (ValueError, binascii.Error):
            self.problem(f"{MANIFEST} tree_head.signature: not base64", fatal=True)
        if base64.b64encode(signature).decode() != signature_text:
            self.problem(f"{MANIFEST} tree_head.signature: not in canonical base64")
        if member not in names:
            self.problem(f"{MANIFEST} entries.file: {member!r} is not in the bundle", fatal=True)
        unexpected = sorted(set(names) - {MANIFEST, member})
        if unexpected:
            self.problem(f"{self.name}: unexpected members {unexpected} (format {FORMAT})")
        created = doc.get("created_at")
        try:
            datetime.fromisoformat(created)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.problem(f"{MANIFEST} created_at: {created!r} is not an ISO 8601 time")
        if not isinstance(doc.get("filters"), dict):
            self.problem(f"{MANIFEST} filters: missing or not an object")

        # the key
        try:
            key = load_public_key(pem)
        except ValueError as e:
            self.problem(f"{MANIFEST} public_key: not an Ed25519 public key ({e})", fatal=True)
        canonical_pem = signing.public_key_pem(key)
        if pem != canonical_pem:
            self.problem(f"{MANIFEST} public_key: not in canonical PEM form (the text was changed)")
        bundle_kid = key_id(canonical_pem)
        if kid != bundle_kid:
            self.problem(
                f"{MANIFEST} tree_head.key_id: {kid!r} is not the id of public_key ({bundle_kid!r})"
            )
        r.key_id = bundle_kid
        signing_pem = canonical_pem
        if self.trusted_pem is not None:
            try:
                trusted = load_public_key(self.trusted_pem)
            except ValueError as e:
                self.problem(f"trusted public key: not an Ed25519 public key ({e})", fatal=True)
            signing_pem = signing.public_key_pem(trusted)
            r.key_trusted = True
            if _raw(trusted) != _raw(key):
                self.problem(
                    f"{MANIFEST} public_key: key {bundle_kid} is not the trusted key "
                    f"{key_id(signing_pem)}"
                )
            r.key_id = key_id(signing_pem)
        else:
            r.notes.append(
                f"the public key (key {bundle_kid}) was taken from the bundle itself: this shows the "
                "bundle is intact and self-consistent, not who made it; pass the audit service's "
                "published key (--public-key) to check that"
            )

        # the signed tree head
        if when.isoformat() != signed_at:
            self.problem(
                f"{MANIFEST} tree_head.signed_at: {signed_at!r} is not the signed form "
                f"{when.isoformat()!r}"
            )
        if not verify_tree_head(signing_pem, size, root, when, signature):
            self.problem(
                f"{MANIFEST} tree_head: the signature does not verify for tree size {size}, root "
                f"{root.hex()}, signed at {signed_at} with key {r.key_id} (the tree head or the "
                "signature was changed, or another key signed it)"
            )

        # the entries
        self.check_entries(zf, member, size, root, count, digest)

    def check_entries(
        self, zf: zipfile.ZipFile, member: str, size: int, root: bytes, count: int, digest: bytes
    ) -> None:
        r = self.report
        tree = ProvenPath(size, root)
        sha = hashlib.sha256()
        previous: tuple[int, int] | None = None  # (leaf, line) of the last line read
        gap: str | None = None
        n = 0
        try:
            with zf.open(member) as packed, io.BufferedReader(packed, _CHUNK) as stream:  # type: ignore[arg-type]
                for n, raw in enumerate(stream, start=1):
                    sha.update(raw)
                    r.lines = n
                    index = self.check_line(tree, n, raw, size, root, previous)
                    if index is not None:
                        if previous is not None and gap is None and index != previous[0] + 1:
                            gap = (
                                f"leaf {previous[0]} (line {previous[1]}) is followed by "
                                f"leaf {index} (line {n})"
                            )
                        previous = (index, n)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
            self.problem(f"{member}: damaged after line {n} ({e})", fatal=True)
        finally:
            r.node_hashes = tree.node_hashes
        if r.lines != count:
            hint = f"; the first gap in leaf indices: {gap}" if gap else ""
            self.problem(
                f"{member}: {r.lines} entries, but {MANIFEST} entries.count says {count} "
                f"(an entry was dropped or added){hint}"
            )
        if sha.digest() != digest:
            self.problem(
                f"{member}: SHA-256 {sha.hexdigest()} is not {MANIFEST} entries.sha256 "
                f"{digest.hex()} (the file was changed)"
            )

    def parse_line(self, n: int, raw: bytes) -> tuple[int, bytes, bytes, list[bytes], bool] | None:
        """A line's leaf index, entry, leaf hash, proof and whether the line is canonical; or
        None after reporting why it cannot be read."""
        fast = _read_canonical(raw)
        if fast is not None:  # the usual case: a canonical line, read without a JSON parser
            return (*fast, True)
        where = f"entry at line {n}"
        try:
            obj = json.loads(raw)
        except ValueError as e:
            self.problem(f"{where}: not JSON ({e})")
            return None
        if not isinstance(obj, dict) or list(obj) != _LINE_KEYS:
            keys = list(obj) if isinstance(obj, dict) else type(obj).__name__
            self.problem(f"{where}: must be an object with keys {_LINE_KEYS}, not {keys}")
            return None
        index = obj["leaf_index"]
        if not isinstance(index, int) or isinstance(index, bool):
            self.problem(f"{where}: leaf_index {index!r} is not an integer")
            return None
        where = f"entry at line {n} (leaf {index})"
        entry, leaf, proof = obj["entry"], obj["leaf_hash"], obj["inclusion_proof"]
        try:
            entry = base64.b64decode(entry, validate=True)
        except (TypeError, ValueError, binascii.Error):
            self.problem(f"{where}: entry is not base64")
            return None
        try:
            leaf = bytes.fromhex(leaf)
        except (TypeError, ValueError):
            self.problem(f"{where}: leaf_hash is not hex")
            return None
        if not isinstance(proof, list):
            self.problem(f"{where}: inclusion_proof is not a list")
            return None
        try:
            hashes = list(map(bytes.fromhex, proof))
        except (TypeError, ValueError):
            k = next(k for k, h in enumerate(proof) if not _is_hex(h))
            self.problem(f"{where}: inclusion_proof hash {k} is not hex")
            return None
        return index, entry, leaf, hashes, raw == _line(index, entry, leaf, hashes)

    def check_line(
        self,
        tree: ProvenPath,
        n: int,
        raw: bytes,
        size: int,
        root: bytes,
        previous: tuple[int, int] | None,
    ) -> int | None:
        """Check one line; return its leaf index when it has one."""
        parsed = self.parse_line(n, raw)
        if parsed is None:
            return None
        index, entry, leaf, hashes, canonical = parsed
        where = f"entry at line {n} (leaf {index})"
        bad = len(self.report.problems)
        if previous is not None and index <= previous[0]:
            self.problem(
                f"{where}: leaf index is not above the previous line's (leaf {previous[0]} at "
                f"line {previous[1]}): lines {previous[1]} and {n} are out of order (swapped?) "
                "or repeated"
            )
        if not 0 <= index < size:
            self.problem(f"{where}: leaf index is outside the signed tree of size {size}")
            return index
        computed = merkle.leaf_hash(entry)
        if computed != leaf:
            self.problem(
                f"{where}: {self._which_changed(index, size, root, computed, leaf, hashes)}"
            )
            return index
        try:
            if self.fast:
                tree.verify(index, leaf, hashes)
            else:
                merkle.verify_inclusion(index, size, leaf, hashes, root)
        except merkle.ProofError as e:
            self.problem(f"{where}: inclusion proof does not verify: {e}")
            return index
        if not canonical:
            self.problem(
                f"{where}: not in canonical form (a byte was changed that leaves the values alone: "
                "spacing, letter case, key order, escapes, base64 padding or the line end)"
            )
            return index
        if len(self.report.problems) == bad:
            self.report.checked += 1
        return index

    @staticmethod
    def _which_changed(
        index: int, size: int, root: bytes, computed: bytes, leaf: bytes, proof: list[bytes]
    ) -> str:
        """Tell a changed entry from a changed leaf_hash: the one the proof vouches for is intact."""

        def included(h: bytes) -> bool:
            try:
                merkle.verify_inclusion(index, size, h, proof, root)
                return True
            except merkle.ProofError:
                return False

        if included(computed):
            return (
                "leaf_hash is not SHA-256(0x00 || entry); the entry itself is in the signed tree, "
                "so the leaf_hash field was changed"
            )
        if included(leaf):
            return (
                "the entry does not hash to leaf_hash, which is in the signed tree: "
                "the entry bytes were changed"
            )
        return "the entry does not hash to leaf_hash, and neither is proven in the signed tree"


def _is_hex(text: Any) -> bool:
    try:
        bytes.fromhex(text)
        return True
    except (TypeError, ValueError):
        return False


def _raw(key: Any) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def verify_bundle(
    path: Path | str | IO[bytes],
    trusted_public_key_pem: str | None = None,
    *,
    all_problems: bool = False,
    fast: bool = True,
) -> Report:
    """Check a bundle offline (see the module docstring for what, in which order).

    Stops at the first problem unless all_problems. With trusted_public_key_pem the signature
    must be by that key; without it the key in the bundle is used and the report says so.
    fast=False checks every proof with merkle.verify_inclusion instead of the memoised walk.
    Streams the entries file: memory does not grow with the bundle.
    """
    name = str(path) if isinstance(path, str | Path) else getattr(path, "name", "bundle")
    source = Path(path) if isinstance(path, str) else path
    return _Verifier(str(name), trusted_public_key_pem, all_problems, fast).run(source)
