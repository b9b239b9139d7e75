"""REST shapes of the audit log."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from govit_kit.values import UtcDatetime


class AuditEntryRead(BaseModel):
    """An entry with its payload decoded to JSON."""

    leaf_index: int
    event_id: str
    event_type: str
    source: str
    subject: str
    org_id: str | None
    project_id: str | None
    actor: str | None
    trace_id: str | None
    event_time: datetime
    recorded_at: datetime
    payload_type: str
    payload: dict[str, Any]
    leaf_hash: str = Field(description="hex of SHA-256(0x00 || entry)")
    entry: str = Field(description="base64 of the canonical bytes the leaf hash commits to")


class TreeHeadRead(BaseModel):
    """A signed tree head; the signature covers tree_head_message(size, root, signed_at)."""

    model_config = ConfigDict(from_attributes=True)

    tree_size: int
    root_hash: str = Field(description="hex")
    signed_at: datetime
    signature: str = Field(description="base64 Ed25519 signature")
    key_id: str


class InclusionProofRead(BaseModel):
    """An entry's audit path in the tree of tree_size leaves (RFC 9162 §2.1.3)."""

    leaf_index: int
    tree_size: int
    leaf_hash: str
    audit_path: list[str] = Field(description="hex hashes, from the leaf up")
    tree_head: TreeHeadRead | None = None


class ConsistencyProofRead(BaseModel):
    """Proof that the first tree is a prefix of the second (RFC 9162 §2.1.4)."""

    first: int
    second: int
    proof: list[str] = Field(description="hex hashes")


class ExportRequest(BaseModel):
    """What to export: a project, an organisation, and/or a period (J4)."""

    model_config = ConfigDict(extra="forbid")

    project_id: str | None = Field(None, max_length=64)
    org_id: str | None = Field(None, max_length=64)
    since: UtcDatetime | None = None  # with its UTC offset (a naive moment is a 422)
    until: UtcDatetime | None = None
