"""The audit log (审计日志): one append-only entry per platform event, and its Merkle tree."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base
from govit_kit.db import UTCDateTime

BigID = BigInteger().with_variant(Integer(), "sqlite")


class AuditEntry(Base):
    """An event as the log holds it; `leaf_index` is its position in the Merkle tree."""

    __tablename__ = "audit_entry"

    sequence: Mapped[int] = mapped_column(BigID, primary_key=True, autoincrement=True)
    leaf_index: Mapped[int] = mapped_column(BigInteger, unique=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(255), index=True)
    source: Mapped[str] = mapped_column(String(255), index=True)
    # Indexed: the deadline checks read a subject's entries as each one is logged.
    subject: Mapped[str] = mapped_column(String(255), index=True)
    org_id: Mapped[str | None] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(64), index=True)
    actor: Mapped[str | None] = mapped_column(String(128), index=True)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload_type: Mapped[str] = mapped_column(String(255))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    entry: Mapped[bytes] = mapped_column(LargeBinary)  # the canonical bytes that are hashed
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class MerkleNode(Base):
    """A perfect subtree of the log: 2**level leaves from index * 2**level (level 0: a leaf)."""

    __tablename__ = "merkle_node"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LogState(Base):
    """One row: the log's size. Appends lock it, so leaves get consecutive indexes."""

    __tablename__ = "log_state"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)


class TreeHead(Base):
    """A signed tree head: the service's commitment to the log's first `tree_size` entries."""

    __tablename__ = "tree_head"

    id: Mapped[int] = mapped_column(BigID, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signature: Mapped[bytes] = mapped_column(LargeBinary(64))
    key_id: Mapped[str] = mapped_column(String(16))
