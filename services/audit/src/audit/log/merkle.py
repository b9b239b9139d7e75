"""The RFC 6962 / RFC 9162 Merkle tree of the audit log: hashes, proofs and their verification.

Pure functions, no storage. A tree of n leaves is addressed by leaf ranges [start, end); a
perfect subtree of 2**level leaves starting at index * 2**level is a stored node (level, index),
so any range hash (MTH) needs O(log n) stored nodes. Verification follows RFC 9162 §2.1.3.2 and
§2.1.4.2 (as transparency-dev/merkle implements them) and names what is wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

HASH_SIZE = 32
Range = tuple[int, int]
Node = tuple[
    int, int
]  # (level, index): the perfect subtree of leaves [index << level, (index+1) << level)


class ProofError(ValueError):
    """A proof or hash that does not verify; the message says which part and why."""


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n >= 2): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


# --- proofs as lists of ranges (storage turns each range into a hash) --------------------------


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose hashes form the audit path of leaf `index` in a tree of `size` (RFC 6962 PATH)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start += k
    return path[::-1]  # from the leaf up


def consistency_ranges(size1: int, size2: int) -> list[Range]:
    """The ranges whose hashes prove a tree of size1 is a prefix of one of size2 (RFC 6962 PROOF)."""
    if not 0 <= size1 <= size2:
        raise ProofError(f"no consistency proof from size {size1} to size {size2}")
    if size1 == size2:
        return []
    if size1 == 0:
        raise ProofError("a consistency proof starts from a tree of at least one leaf")
    path: list[Range] = []
    start, end, m, whole = 0, size2, size1, True
    while True:
        n = end - start
        if m == n:
            if not whole:
                path.append((start, end))
            break
        k = split(n)
        if m <= k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start, m, whole = start + k, m - k, False
    return path[::-1]


def _is_perfect(start: int, end: int) -> bool:
    n = end - start
    return n & (n - 1) == 0 and start % n == 0


def nodes_for(ranges: Iterable[Range]) -> set[Node]:
    """The stored nodes needed to hash these ranges (fetch them in one query)."""
    needed: set[Node] = set()
    stack = list(ranges)
    while stack:
        start, end = stack.pop()
        if _is_perfect(start, end):
            n = end - start
            needed.add((n.bit_length() - 1, start // n))
        else:
            k = split(end - start)
            stack += [(start, start + k), (start + k, end)]
    return needed


def range_hash(start: int, end: int, node: Callable[[int, int], bytes]) -> bytes:
    """MTH of leaves [start, end), from stored perfect-subtree hashes node(level, index)."""
    if _is_perfect(start, end):
        n = end - start
        return node(n.bit_length() - 1, start // n)
    k = split(end - start)
    return node_hash(range_hash(start, start + k, node), range_hash(start + k, end, node))


def root_of(leaves: list[bytes]) -> bytes:
    """The root of a list of leaf hashes, in memory (tests and the offline verifier)."""
    if not leaves:
        return hashlib.sha256(b"").digest()  # RFC 6962: the hash of an empty tree
    level = list(leaves)
    # Bottom-up pairing yields the RFC 6962 tree: an odd last node is promoted unchanged.
    while len(level) > 1:
        level = [
            node_hash(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0]


def append_nodes(
    index: int, leaf: bytes, node: Callable[[int, int], bytes]
) -> list[tuple[int, int, bytes]]:
    """The nodes a new leaf completes: (0, index, leaf) and every perfect subtree it closes."""
    made = [(0, index, leaf)]
    level, i, h = 0, index, leaf
    while i % 2 == 1:
        h = node_hash(node(level, i - 1), h)
        level, i = level + 1, i // 2
        made.append((level, i, h))
    return made


def stored_siblings(first: int, count: int) -> set[Node]:
    """The left siblings `append_nodes` needs for leaves first..first+count-1 that a tree of
    `first` leaves already holds (the others are completed by the earlier leaves of the batch)."""
    needed = set()
    for index in range(first, first + count):
        level, i = 0, index
        while i % 2 == 1:
            if (i << level) <= first:  # the sibling's last leaf, (i << level) - 1, is stored
                needed.add((level, i - 1))
            level, i = level + 1, i // 2
    return needed


# --- verification (RFC 9162) ---------------------------------------------------------------


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofError(f"{what} is {len(value)} bytes, not {HASH_SIZE}")


def _inner_size(index: int, size: int) -> int:
    return (index ^ (size - 1)).bit_length()


def _chain_inner(seed: bytes, proof: list[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        seed = node_hash(seed, h) if (index >> i) & 1 == 0 else node_hash(h, seed)
    return seed


def _chain_inner_right(seed: bytes, proof: list[bytes], index: int) -> bytes:
    for i, h in enumerate(proof):
        if (index >> i) & 1 == 1:
            seed = node_hash(h, seed)
    return seed


def _chain_border_right(seed: bytes, proof: list[bytes]) -> bytes:
    for h in proof:
        seed = node_hash(h, seed)
    return seed


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """The root that an inclusion proof leads to (raises ProofError if malformed)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    _check_hash(leaf, "leaf hash")
    for n, h in enumerate(proof):
        _check_hash(h, f"proof hash {n}")
    inner = _inner_size(index, size)
    border = bin(index >> inner).count("1")
    if len(proof) != inner + border:
        raise ProofError(
            f"proof has {len(proof)} hashes; leaf {index} of {size} needs {inner + border}"
        )
    return _chain_border_right(_chain_inner(leaf, proof[:inner], index), proof[inner:])


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> None:
    """Raise ProofError unless `leaf` is leaf `index` of the tree of `size` with this root."""
    _check_hash(root, "root")
    got = root_from_inclusion(index, size, leaf, proof)
    if got != root:
        raise ProofError(
            f"leaf {index} of tree size {size}: the inclusion proof leads to {got.hex()}, "
            f"not the root {root.hex()}"
        )


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> None:
    """Raise ProofError unless the tree (size1, root1) is a prefix of the tree (size2, root2)."""
    if size1 < 1:
        raise ProofError("a consistency proof starts from a tree of at least one leaf (RFC 9162)")
    if size2 < size1:
        raise ProofError(f"size2 {size2} is smaller than size1 {size1}")
    if size1 == size2:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        if root1 != root2:
            raise ProofError(f"equal sizes {size1} but different roots")
        return
    _check_hash(root1, "root1")
    _check_hash(root2, "root2")
    for n, h in enumerate(proof):
        _check_hash(h, f"proof hash {n}")
    if not proof:
        raise ProofError(f"empty proof from size {size1} to {size2}")
    inner = _inner_size(size1 - 1, size2)
    border = bin((size1 - 1) >> inner).count("1")
    shift = (size1 & -size1).bit_length() - 1  # trailing zeros of size1
    inner -= shift
    seed, start = (root1, 0) if size1 == 1 << shift else (proof[0], 1)
    if len(proof) != start + inner + border:
        raise ProofError(
            f"proof has {len(proof)} hashes; {size1}->{size2} needs {start + inner + border}"
        )
    rest = proof[start:]
    mask = (size1 - 1) >> shift
    hash1 = _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:])
    if hash1 != root1:
        raise ProofError(f"the proof does not lead to the first root (size {size1})")
    hash2 = _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:])
    if hash2 != root2:
        raise ProofError(f"the proof does not lead to the second root (size {size2})")
