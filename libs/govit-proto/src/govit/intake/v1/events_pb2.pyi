import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ProjectSubmitted(_message.Message):
    __slots__ = ("project_id", "org_id", "name", "project_type", "total_investment", "submitted_by", "submitted_at")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    name: str
    project_type: str
    total_investment: _common_pb2.Money
    submitted_by: _common_pb2.Actor
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., name: _Optional[str] = ..., project_type: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., submitted_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
