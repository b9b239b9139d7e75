"""The audit log (审计日志): one append-only entry per platform event."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from audit.db import Base
from govit_kit.db import UTCDateTime


class AuditEntry(Base):
    """An event as the log holds it; `sequence` is its leaf index, `leaf_hash` its RFC 6962 leaf."""

    __tablename__ = "audit_entry"

    sequence: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_type: Mapped[str] = mapped_column(String(255), index=True)
    source: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    org_id: Mapped[str | None] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(64), index=True)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload_type: Mapped[str] = mapped_column(String(255))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    entry: Mapped[bytes] = mapped_column(LargeBinary)  # the canonical bytes that are hashed
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
