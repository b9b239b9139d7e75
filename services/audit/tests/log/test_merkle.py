"""The Merkle tree of the audit log against the published RFC 6962 / RFC 9162 test vectors,
an independent recursive reference, and a corruption battery that must name what is wrong;
and signed tree heads that reject any change."""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from audit.log import merkle
from audit.log.merkle import (
    ProofError,
    append_nodes,
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    nodes_for,
    range_hash,
    root_from_inclusion,
    root_of,
    stored_siblings,
    verify_consistency,
    verify_inclusion,
)
from audit.log.signing import Signer, key_id, load_public_key, verify_tree_head

VECTORS = Path(__file__).parent / "vectors" / "rfc6962"
CASES = sorted(VECTORS.rglob("*.json"))


def b64(text: str | None) -> bytes:
    return base64.b64decode(text or "")


# --- the published vectors ----------------------------------------------------------------------


def test_the_vendored_vectors_are_all_there():
    """A wrong path must not let the parametrized test below pass with nothing in it."""
    assert len(CASES) > 100
    kinds = {p.relative_to(VECTORS).parts[0] for p in CASES}
    assert kinds == {"inclusion", "consistency"}
    wants = [json.loads(p.read_text())["wantErr"] for p in CASES]
    assert wants.count(True) > 50 and wants.count(False) >= 8
    for name in ("LICENSE", "README.md", "SOURCE_COMMIT"):
        assert (VECTORS / name).is_file()


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(VECTORS)) for p in CASES])
def test_vector(path):
    case = json.loads(path.read_text())
    proof = [b64(h) for h in case.get("proof") or []]
    try:
        if "leafIdx" in case:
            verify_inclusion(
                case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof, b64(case["root"])
            )
        else:
            verify_consistency(
                case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof
            )
    except ProofError as e:
        assert case["wantErr"], f"{case['desc']}: rejected a good proof: {e}"
        assert str(e)  # every rejection says why
    else:
        assert not case["wantErr"], f"{case['desc']}: accepted a bad proof"


# --- an independent reference: RFC 6962 §2.1 written recursively ------------------------------


def ref_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split(len(leaves))
    return node_hash(ref_mth(leaves[:k]), ref_mth(leaves[k:]))


def ref_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = merkle.split(n)
    if m < k:
        return ref_path(m, leaves[:k]) + [ref_mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [ref_mth(leaves[:k])]


def ref_subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [ref_mth(leaves)]
    k = merkle.split(n)
    if m <= k:
        return ref_subproof(m, leaves[:k], whole) + [ref_mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [ref_mth(leaves[:k])]


# --- properties over every tree of 1..70 leaves ------------------------------------------------

MAX = 70
LEAVES = [leaf_hash(f"entry {i}".encode()) for i in range(MAX)]


@pytest.fixture(scope="module")
def store() -> dict[tuple[int, int], bytes]:
    """The stored nodes of the 70-leaf log, built one append at a time as the service does."""
    nodes: dict[tuple[int, int], bytes] = {}
    for i, leaf in enumerate(LEAVES):
        asked: set[tuple[int, int]] = set()

        def node(level, index, asked=asked):
            asked.add((level, index))
            return nodes[(level, index)]

        made = append_nodes(i, leaf, node)
        assert asked == stored_siblings(i, 1)  # the service fetches exactly these beforehand
        for level, index, h in made:
            assert (level, index) not in nodes  # append-only: nothing is ever rewritten
            nodes[(level, index)] = h
    return nodes


@pytest.mark.parametrize("first", [0, 1, 2, 3, 5, 8, 13, 31, 32, 33, 40])
def test_a_batch_appends_the_nodes_one_at_a_time_would(store, first):
    """A batch of leaves, given only the stored siblings it asks for beforehand, makes exactly
    the nodes that appending its leaves one by one makes (nothing missing, nothing extra)."""
    for count in range(1, MAX - first + 1):
        before = {(lv, ix): h for (lv, ix), h in store.items() if ((ix + 1) << lv) <= first}
        wanted = stored_siblings(first, count)
        assert wanted <= before.keys()
        known = {node: before[node] for node in wanted}
        made = {}
        for i in range(first, first + count):
            for lv, ix, h in append_nodes(i, LEAVES[i], lambda a, b, k=known: k[(a, b)]):
                known[(lv, ix)] = made[(lv, ix)] = h
        expected = {
            (lv, ix): h
            for (lv, ix), h in store.items()
            if first <= ((ix + 1) << lv) - 1 < first + count
        }
        assert made == expected


def hashes(store, ranges):
    return [range_hash(a, z, lambda lv, ix: store[(lv, ix)]) for a, z in ranges]


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_roots_agree(store, n):
    root = range_hash(0, n, lambda lv, ix: store[(lv, ix)])
    assert root == root_of(LEAVES[:n]) == ref_mth(LEAVES[:n])


def test_the_empty_tree():
    assert root_of([]) == hashlib.sha256(b"").digest()


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_every_inclusion_proof_verifies(store, n):
    root = root_of(LEAVES[:n])
    for i in range(n):
        proof = hashes(store, inclusion_ranges(i, n))
        assert proof == ref_path(i, LEAVES[:n])
        verify_inclusion(i, n, LEAVES[i], proof, root)
        assert root_from_inclusion(i, n, LEAVES[i], proof) == root


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_every_consistency_proof_verifies(store, n):
    root = root_of(LEAVES[:n])
    for m in range(1, n + 1):
        proof = hashes(store, consistency_ranges(m, n))
        assert proof == (ref_subproof(m, LEAVES[:n], True) if m < n else [])
        verify_consistency(m, n, root_of(LEAVES[:m]), root, proof)


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_nodes_for_is_exactly_what_range_hash_reads(store, n):
    proofs = [inclusion_ranges(i, n) for i in range(n)]
    proofs += [consistency_ranges(m, n) for m in range(1, n)]
    proofs += [[(0, n)]]
    for ranges in proofs:
        touched: set[tuple[int, int]] = set()

        def node(level, index, touched=touched):
            touched.add((level, index))
            return store[(level, index)]

        for a, z in ranges:
            range_hash(a, z, node)
        assert nodes_for(ranges) == touched


def test_proof_ranges_refuse_impossible_trees():
    with pytest.raises(ProofError, match="outside a tree of size 5"):
        inclusion_ranges(5, 5)
    with pytest.raises(ProofError, match="size 6 to size 5"):
        consistency_ranges(6, 5)
    with pytest.raises(ProofError, match="at least one leaf"):
        consistency_ranges(0, 5)


# --- the corruption battery: every change is rejected, and the message says where -------------

N, LEAF = 37, 13  # a tree that is not a power of two; a leaf with a six-hash path


@pytest.fixture(scope="module")
def inclusion(store):
    proof = hashes(store, inclusion_ranges(LEAF, N))
    assert len(proof) == 6
    return LEAVES[LEAF], proof, root_of(LEAVES[:N])


def flip(h: bytes, at: int = 0) -> bytes:
    return h[:at] + bytes([h[at] ^ 0x01]) + h[at + 1 :]


def rejects(match: str, fn, *args) -> str:
    with pytest.raises(ProofError) as caught:
        fn(*args)
    message = str(caught.value)
    assert match in message, message
    return message


@pytest.mark.parametrize("k", range(6))
def test_inclusion_changed_proof_byte(inclusion, k):
    leaf, proof, root = inclusion
    for at in (0, 17, 31):
        bad = list(proof)
        bad[k] = flip(bad[k], at)
        rejects(f"leaf {LEAF} of tree size {N}", verify_inclusion, LEAF, N, leaf, bad, root)


def test_inclusion_changed_leaf_and_root(inclusion):
    leaf, proof, root = inclusion
    rejects(f"leaf {LEAF} of tree size {N}", verify_inclusion, LEAF, N, flip(leaf, 5), proof, root)
    message = rejects(
        f"not the root {flip(root, 9).hex()}", verify_inclusion, LEAF, N, leaf, proof, flip(root, 9)
    )
    assert f"leaf {LEAF}" in message


def test_inclusion_dropped_and_extra_hash(inclusion):
    leaf, proof, root = inclusion
    for k in range(6):
        rejects(
            f"proof has 5 hashes; leaf {LEAF} of {N} needs 6",
            verify_inclusion,
            LEAF,
            N,
            leaf,
            proof[:k] + proof[k + 1 :],
            root,
        )
    for k in range(7):
        extra = proof[:k] + [LEAVES[0]] + proof[k:]
        rejects("proof has 7 hashes", verify_inclusion, LEAF, N, leaf, extra, root)


@pytest.mark.parametrize("k", range(5))
def test_inclusion_swapped_pair(inclusion, k):
    leaf, proof, root = inclusion
    bad = list(proof)
    bad[k], bad[k + 1] = bad[k + 1], bad[k]
    rejects(f"leaf {LEAF} of tree size {N}", verify_inclusion, LEAF, N, leaf, bad, root)


@pytest.mark.parametrize("size", [14, 16, 20, 21, 32, 65, 100])
def test_inclusion_wrong_tree_size(inclusion, size):
    leaf, proof, root = inclusion
    message = rejects(f"leaf {LEAF} of", verify_inclusion, LEAF, size, leaf, proof, root)
    assert str(size) in message


def test_inclusion_tree_size_is_bound_by_the_signed_head(inclusion, signer):
    """RFC 9162: a proof fixes the tree's shape along the leaf's path, not its size. Leaf 13's
    path is the same in every tree of 33..64 leaves (its last hash stands for leaves 32..end), so
    the proof alone cannot tell those sizes apart; the signed tree head binds (size, root)."""
    leaf, proof, root = inclusion
    for size in range(33, 65):
        verify_inclusion(LEAF, size, leaf, proof, root)
    at = datetime(2025, 3, 1, tzinfo=UTC)
    signature = signer.sign(N, root, at)
    assert [
        s for s in range(33, 65) if verify_tree_head(signer.public_pem, s, root, at, signature)
    ] == [N]


@pytest.mark.parametrize("index", [0, 9, 12, 14, 15, 29, 36])
def test_inclusion_wrong_leaf_index(inclusion, index):
    leaf, proof, root = inclusion
    rejects(f"leaf {index} of", verify_inclusion, index, N, leaf, proof, root)


def test_inclusion_malformed(inclusion):
    leaf, proof, root = inclusion
    rejects("outside a tree of size 37", verify_inclusion, 37, N, leaf, proof, root)
    rejects("outside a tree of size 37", verify_inclusion, -1, N, leaf, proof, root)
    bad = list(proof)
    bad[2] = bad[2][:31]
    rejects("proof hash 2 is 31 bytes", verify_inclusion, LEAF, N, leaf, bad, root)
    rejects("leaf hash is 33 bytes", verify_inclusion, LEAF, N, leaf + b"x", proof, root)
    rejects("root is 0 bytes", verify_inclusion, LEAF, N, leaf, proof, b"")


M = 13  # consistency from 13 leaves (not a power of two: the proof carries its own seed) to 37


@pytest.fixture(scope="module")
def consistency(store):
    proof = hashes(store, consistency_ranges(M, N))
    assert len(proof) >= 4
    return root_of(LEAVES[:M]), root_of(LEAVES[:N]), proof


def test_consistency_changed_byte(consistency):
    root1, root2, proof = consistency
    for k in range(len(proof)):
        bad = list(proof)
        bad[k] = flip(bad[k], 7)
        message = rejects("root (size", verify_consistency, M, N, root1, root2, bad)
        assert f"size {M}" in message or f"size {N}" in message
    rejects(f"first root (size {M})", verify_consistency, M, N, flip(root1), root2, proof)
    rejects(f"second root (size {N})", verify_consistency, M, N, root1, flip(root2), proof)


def test_consistency_dropped_extra_and_swapped(consistency):
    root1, root2, proof = consistency
    n = len(proof)
    for k in range(n):
        dropped = proof[:k] + proof[k + 1 :]
        rejects(f"proof has {n - 1} hashes; {M}->{N} needs {n}", verify_consistency, M, N, root1, root2, dropped)  # fmt: skip
    rejects(f"proof has {n + 1} hashes", verify_consistency, M, N, root1, root2, proof + [root1])
    rejects(f"empty proof from size {M} to {N}", verify_consistency, M, N, root1, root2, [])
    for k in range(n - 1):
        bad = list(proof)
        bad[k], bad[k + 1] = bad[k + 1], bad[k]
        rejects("root (size", verify_consistency, M, N, root1, root2, bad)


def test_consistency_swapped_roots(consistency):
    root1, root2, proof = consistency
    rejects(f"first root (size {M})", verify_consistency, M, N, root2, root1, proof)


@pytest.mark.parametrize("size1", [1, 2, 8, 12, 14, 16, 36])
def test_consistency_wrong_size1(consistency, size1):
    root1, root2, proof = consistency
    message = rejects(f"{size1}->{N}", verify_consistency, size1, N, root1, root2, proof)
    assert "needs" in message


@pytest.mark.parametrize("size2", [14, 16, 20, 32, 65, 74, 100])
def test_consistency_wrong_size2(consistency, size2):
    root1, root2, proof = consistency
    rejects(f"{M}->{size2}", verify_consistency, M, size2, root1, root2, proof)


def test_consistency_tree_size_is_bound_by_the_signed_head(consistency):
    """As for inclusion: the proof from 13 has the same shape for every second tree of 33..64
    leaves; the signed tree heads bind each size to its root."""
    root1, root2, proof = consistency
    for size2 in range(33, 65):
        verify_consistency(M, size2, root1, root2, proof)


def test_consistency_impossible_sizes(consistency):
    root1, root2, proof = consistency
    rejects("size2 12 is smaller than size1 13", verify_consistency, M, 12, root1, root2, proof)
    rejects("at least one leaf", verify_consistency, 0, N, root1, root2, proof)
    rejects("equal sizes need an empty proof", verify_consistency, N, N, root2, root2, proof)
    rejects("equal sizes 37 but different roots", verify_consistency, N, N, root1, root2, [])
    verify_consistency(N, N, root2, root2, [])


# --- signed tree heads --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    return Signer.from_file(tmp_path_factory.mktemp("keys") / "audit.key")


def test_signer_key_file(tmp_path):
    path = tmp_path / "sub" / "audit.key"
    first = Signer.from_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert Signer.from_file(path).public_pem == first.public_pem  # the same key when reloaded
    load_public_key(first.public_pem)
    assert len(key_id(first.public_pem)) == 16


def test_tree_head_signature_rejects_any_change(signer, tmp_path):
    size, root = N, root_of(LEAVES[:N])
    at = datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)
    signature = signer.sign(size, root, at)
    pem = signer.public_pem
    assert verify_tree_head(pem, size, root, at, signature)
    for bit in (0, 7, 100, 511):
        bad = bytearray(signature)
        bad[bit // 8] ^= 1 << (bit % 8)
        assert not verify_tree_head(pem, size, root, at, bytes(bad)), bit
    for byte in (0, 31):
        assert not verify_tree_head(pem, size, flip(root, byte), at, signature)
    assert not verify_tree_head(pem, size + 1, root, at, signature)
    assert not verify_tree_head(pem, size ^ 1, root, at, signature)
    assert not verify_tree_head(pem, size, root, at + timedelta(microseconds=1), signature)
    assert not verify_tree_head(pem, size, root, at.replace(tzinfo=None), signature)
    other = Signer.from_file(tmp_path / "other.key")
    assert not verify_tree_head(other.public_pem, size, root, at, signature)
    assert verify_tree_head(other.public_pem, size, root, at, other.sign(size, root, at))
    assert not verify_tree_head("not a key", size, root, at, signature)
    assert not verify_tree_head(pem, size, root, at, signature[:63])


def test_a_key_of_an_unknown_type_is_rejected_not_raised(signer):
    """A public key whose algorithm cryptography does not know is a ValueError (and a failed
    verification), like any other key that is not Ed25519."""
    body = "".join(signer.public_pem.splitlines()[1:-1])
    der = bytearray(base64.b64decode(body))
    at = der.index(b"\x06\x03\x2b\x65\x70")  # the Ed25519 OID, 1.3.101.112
    der[at + 2] = 0x27  # now 0.39.101.112
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(der).decode()
        + "\n-----END PUBLIC KEY-----\n"
    )
    with pytest.raises(ValueError, match="not a supported public key"):
        load_public_key(pem)
    at_ = datetime(2025, 3, 1, tzinfo=UTC)
    root = root_of(LEAVES[:3])
    assert not verify_tree_head(pem, 3, root, at_, signer.sign(3, root, at_))
