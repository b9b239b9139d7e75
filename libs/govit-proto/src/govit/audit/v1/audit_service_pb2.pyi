import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AuditEntry(_message.Message):
    __slots__ = ("sequence", "event_id", "event_type", "source", "subject", "org_id", "project_id", "trace_id", "event_time", "recorded_at", "payload", "payload_type", "leaf_hash")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_TYPE_FIELD_NUMBER: _ClassVar[int]
    LEAF_HASH_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    event_id: str
    event_type: str
    source: str
    subject: str
    org_id: str
    project_id: str
    trace_id: str
    event_time: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    payload: bytes
    payload_type: str
    leaf_hash: bytes
    def __init__(self, sequence: _Optional[int] = ..., event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., source: _Optional[str] = ..., subject: _Optional[str] = ..., org_id: _Optional[str] = ..., project_id: _Optional[str] = ..., trace_id: _Optional[str] = ..., event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., payload: _Optional[bytes] = ..., payload_type: _Optional[str] = ..., leaf_hash: _Optional[bytes] = ...) -> None: ...

class ListEntriesRequest(_message.Message):
    __slots__ = ("project_id", "org_id", "event_type", "since", "until", "page")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    event_type: str
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    page: _common_pb2.PageRequest
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., event_type: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListEntriesResponse(_message.Message):
    __slots__ = ("entries", "page")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    page: _common_pb2.PageInfo
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...
