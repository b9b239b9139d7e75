import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from govit.review.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReviewCaseOpened(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "track", "decisions", "opened_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TRACK_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    track: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., track: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReviewCaseConcluded(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "conclusion", "reason", "reviewer", "concluded_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    CONCLUDED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    conclusion: _types_pb2.Conclusion
    reason: str
    reviewer: _common_pb2.Actor
    concluded_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., conclusion: _Optional[_Union[_types_pb2.Conclusion, str]] = ..., reason: _Optional[str] = ..., reviewer: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., concluded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
