"""Signed tree heads: the audit service commits to (size, root, time) with an Ed25519 key."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "govit-audit-tree-head/1"


def tree_head_message(tree_size: int, root_hash: bytes, signed_at: datetime) -> bytes:
    """The exact bytes a tree head signature covers (documented in the README)."""
    return f"{FORMAT}\n{tree_size}\n{root_hash.hex()}\n{signed_at.isoformat()}\n".encode()


def public_key_pem(key: Ed25519PublicKey) -> str:
    """A public key as PEM (SubjectPublicKeyInfo)."""
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(pem: str) -> str:
    """A short, stable name for a public key: SHA-256 of its PEM, first 16 hex digits."""
    return hashlib.sha256(pem.encode()).hexdigest()[:16]


def load_public_key(pem: str) -> Ed25519PublicKey:
    """Parse a PEM public key; ValueError if it is not Ed25519."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except UnsupportedAlgorithm as e:  # a key type cryptography does not know
        raise ValueError(f"not a supported public key: {e}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the audit log's public key must be Ed25519")
    return key


def verify_tree_head(
    pem: str, tree_size: int, root_hash: bytes, signed_at: datetime, signature: bytes
) -> bool:
    """Whether the signature over this tree head verifies with the public key."""
    try:
        load_public_key(pem).verify(signature, tree_head_message(tree_size, root_hash, signed_at))
        return True
    except (InvalidSignature, ValueError):
        return False


@dataclass(frozen=True)
class Signer:
    """The audit service's signing key (GOVIT_AUDIT_SIGNING_KEY_FILE, or one made under data_dir)."""

    key: Ed25519PrivateKey

    @classmethod
    def from_file(cls, path: Path) -> Signer:
        """Load a PEM private key, creating it (mode 600) on first use."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            path.chmod(0o600)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: the audit signing key must be Ed25519")
        return cls(key)

    @property
    def public_pem(self) -> str:
        """The published public key."""
        return public_key_pem(self.key.public_key())

    def sign(self, tree_size: int, root_hash: bytes, signed_at: datetime) -> bytes:
        """Sign a tree head."""
        return self.key.sign(tree_head_message(tree_size, root_hash, signed_at))


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode()
