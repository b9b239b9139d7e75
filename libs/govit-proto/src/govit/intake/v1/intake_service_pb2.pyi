import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Project(_message.Message):
    __slots__ = ("project_id", "org_id", "name", "project_type", "status", "total_investment", "submitted_at", "updated_at")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    name: str
    project_type: str
    status: str
    total_investment: _common_pb2.Money
    submitted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., name: _Optional[str] = ..., project_type: _Optional[str] = ..., status: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetProjectRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class GetProjectResponse(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: Project
    def __init__(self, project: _Optional[_Union[Project, _Mapping]] = ...) -> None: ...

class CheckFundingEligibilityRequest(_message.Message):
    __slots__ = ("project_id", "fiscal_year")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    fiscal_year: int
    def __init__(self, project_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ...) -> None: ...

class CheckFundingEligibilityResponse(_message.Message):
    __slots__ = ("allowed", "decisions")
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, allowed: _Optional[bool] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class ForwardedApplication(_message.Message):
    __slots__ = ("county_project_id", "org_id", "name", "project_type", "total_investment", "county_opinion", "origin")
    COUNTY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    COUNTY_OPINION_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    county_project_id: str
    org_id: str
    name: str
    project_type: str
    total_investment: _common_pb2.Money
    county_opinion: str
    origin: str
    def __init__(self, county_project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., name: _Optional[str] = ..., project_type: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., county_opinion: _Optional[str] = ..., origin: _Optional[str] = ...) -> None: ...

class ForwardApplicationRequest(_message.Message):
    __slots__ = ("application",)
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    application: ForwardedApplication
    def __init__(self, application: _Optional[_Union[ForwardedApplication, _Mapping]] = ...) -> None: ...

class ForwardApplicationResponse(_message.Message):
    __slots__ = ("city_project_id", "status")
    CITY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    city_project_id: str
    status: str
    def __init__(self, city_project_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class GetForwardedApplicationRequest(_message.Message):
    __slots__ = ("city_project_id",)
    CITY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    city_project_id: str
    def __init__(self, city_project_id: _Optional[str] = ...) -> None: ...

class GetForwardedApplicationResponse(_message.Message):
    __slots__ = ("city_project_id", "status", "origin", "county_opinion")
    CITY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    COUNTY_OPINION_FIELD_NUMBER: _ClassVar[int]
    city_project_id: str
    status: str
    origin: str
    county_opinion: str
    def __init__(self, city_project_id: _Optional[str] = ..., status: _Optional[str] = ..., origin: _Optional[str] = ..., county_opinion: _Optional[str] = ...) -> None: ...

class CheckCatalogRequest(_message.Message):
    __slots__ = ("project_id",)
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    def __init__(self, project_id: _Optional[str] = ...) -> None: ...

class CheckCatalogResponse(_message.Message):
    __slots__ = ("complete", "entries", "decisions")
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    complete: bool
    entries: int
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, complete: _Optional[bool] = ..., entries: _Optional[int] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...
