"""Integration events: the CloudEvents envelope carried in NATS headers, around a protobuf payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.protobuf import symbol_database
from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/protobuf"
# CloudEvents NATS binding, binary mode: each attribute is a "ce-" header.
H_ID, H_SOURCE, H_TYPE, H_TIME, H_SUBJECT = "ce-id", "ce-source", "ce-type", "ce-time", "ce-subject"
H_SPEC, H_CONTENT_TYPE, H_SCHEMA = "ce-specversion", "ce-datacontenttype", "ce-dataschema"
# Extensions (lower-case alphanumeric names, as CloudEvents requires).
H_ORG, H_PROJECT, H_ACTOR = "ce-orgid", "ce-projectid", "ce-actor"
H_TRACEPARENT = "traceparent"
H_MSG_ID = "Nats-Msg-Id"  # JetStream drops a second publish with the same id
# The longest event id and type the inbox and dead-letter tables hold (our ids are UUIDs).
MAX_ID_LEN, MAX_TYPE_LEN = 36, 255


def event_type(service: str, aggregate: str, name: str) -> str:
    """The CloudEvents type of an event, e.g. govit.intake.project.submitted."""
    return f"govit.{service}.{aggregate}.{name}"


def _import_generated() -> None:
    # Importing the generated modules registers every message in the symbol database.
    import importlib
    import pkgutil

    import govit

    for mod in pkgutil.walk_packages(govit.__path__, "govit."):
        if mod.name.endswith("_pb2"):
            importlib.import_module(mod.name)


def message_class(full_name: str) -> type[Message]:
    """The generated class of a protobuf message by its full name (govit.intake.v1.ProjectSubmitted)."""
    db = symbol_database.Default()
    try:
        return db.GetSymbol(full_name)
    except KeyError:
        _import_generated()
        return db.GetSymbol(full_name)


@dataclass(frozen=True)
class Event:
    """An event as a consumer receives it: CloudEvents attributes plus the decoded payload."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    payload_type: str
    payload: bytes
    org_id: str | None = None
    project_id: str | None = None
    traceparent: str | None = None
    actor: str | None = None
    nats_subject: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> Message:
        """The payload decoded into its generated protobuf class."""
        msg = message_class(self.payload_type)()
        msg.ParseFromString(self.payload)
        return msg

    def payload_json(self) -> dict[str, Any]:
        """The payload as JSON-ready data (for logs, the audit API and dead-letter listings)."""
        return MessageToDict(self.message, preserving_proto_field_name=True)

    @classmethod
    def from_nats(cls, subject: str, headers: dict[str, str] | None, data: bytes) -> Event:
        """Read the envelope from a NATS message; raises ValueError when an attribute is missing,
        longer than the inbox holds, or (ce-time) not a time."""
        h = headers or {}
        missing = [k for k in (H_ID, H_TYPE, H_SOURCE, H_TIME, H_SCHEMA) if not h.get(k)]
        if missing:
            raise ValueError(f"event on {subject} lacks CloudEvents headers {missing}")
        for key, limit in ((H_ID, MAX_ID_LEN), (H_TYPE, MAX_TYPE_LEN)):
            if len(h[key]) > limit:
                raise ValueError(f"event on {subject}: {key} is longer than {limit} characters")
        return cls(
            id=h[H_ID],
            type=h[H_TYPE],
            source=h[H_SOURCE],
            subject=h.get(H_SUBJECT, ""),
            time=datetime.fromisoformat(h[H_TIME]),
            payload_type=h[H_SCHEMA],
            payload=data,
            org_id=h.get(H_ORG) or None,
            project_id=h.get(H_PROJECT) or None,
            traceparent=h.get(H_TRACEPARENT) or None,
            actor=h.get(H_ACTOR) or None,
            nats_subject=subject,
            headers=dict(h),
        )


def headers_for(row: Any) -> dict[str, str]:
    """The NATS headers of an outbox row: CloudEvents attributes, traceparent and Nats-Msg-Id."""
    h = {
        H_MSG_ID: row.event_id,
        H_SPEC: SPEC_VERSION,
        H_ID: row.event_id,
        H_SOURCE: row.source,
        H_TYPE: row.event_type,
        H_TIME: row.event_time.isoformat(),
        H_SUBJECT: row.subject,
        H_CONTENT_TYPE: CONTENT_TYPE,
        H_SCHEMA: row.payload_type,
    }
    if row.org_id:
        h[H_ORG] = row.org_id
    if row.project_id:
        h[H_PROJECT] = row.project_id
    if row.traceparent:
        h[H_TRACEPARENT] = row.traceparent
    if getattr(row, "actor", None):
        h[H_ACTOR] = row.actor
    return h
