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

class GetUnitStandingRequest(_message.Message):
    __slots__ = ("org_id",)
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    def __init__(self, org_id: _Optional[str] = ...) -> None: ...

class GetUnitStandingResponse(_message.Message):
    __slots__ = ("org_id", "open_security_orders", "blocked", "decisions")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    OPEN_SECURITY_ORDERS_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    open_security_orders: int
    blocked: bool
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, org_id: _Optional[str] = ..., open_security_orders: _Optional[int] = ..., blocked: _Optional[bool] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class ReviewCase(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "track", "status", "conclusion", "reason", "opened_at", "concluded_at", "round", "chain_stage")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TRACK_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CONCLUDED_AT_FIELD_NUMBER: _ClassVar[int]
    ROUND_FIELD_NUMBER: _ClassVar[int]
    CHAIN_STAGE_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    track: str
    status: str
    conclusion: _types_pb2.Conclusion
    reason: str
    opened_at: _timestamp_pb2.Timestamp
    concluded_at: _timestamp_pb2.Timestamp
    round: int
    chain_stage: str
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., track: _Optional[str] = ..., status: _Optional[str] = ..., conclusion: _Optional[_Union[_types_pb2.Conclusion, str]] = ..., reason: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., concluded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., round: _Optional[int] = ..., chain_stage: _Optional[str] = ...) -> None: ...

class GetReviewCaseRequest(_message.Message):
    __slots__ = ("case_id",)
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    def __init__(self, case_id: _Optional[str] = ...) -> None: ...

class GetReviewCaseResponse(_message.Message):
    __slots__ = ("review_case",)
    REVIEW_CASE_FIELD_NUMBER: _ClassVar[int]
    review_case: ReviewCase
    def __init__(self, review_case: _Optional[_Union[ReviewCase, _Mapping]] = ...) -> None: ...

class ListReviewCasesRequest(_message.Message):
    __slots__ = ("project_id", "page")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    page: _common_pb2.PageRequest
    def __init__(self, project_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListReviewCasesResponse(_message.Message):
    __slots__ = ("cases", "page")
    CASES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[ReviewCase]
    page: _common_pb2.PageInfo
    def __init__(self, cases: _Optional[_Iterable[_Union[ReviewCase, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageInfo, _Mapping]] = ...) -> None: ...
