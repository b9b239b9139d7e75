import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FundingLineOpened(_message.Message):
    __slots__ = ("funding_line_id", "project_id", "org_id", "fiscal_year", "kind", "source", "amount", "opened_at")
    FUNDING_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    funding_line_id: str
    project_id: str
    org_id: str
    fiscal_year: int
    kind: str
    source: str
    amount: _common_pb2.Money
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, funding_line_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., kind: _Optional[str] = ..., source: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
