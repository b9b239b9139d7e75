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
    __slots__ = ("county_project_id", "org_id", "name", "project_type", "total_investment", "county_opinion", "origin", "form", "catalog", "materials")
    COUNTY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    COUNTY_OPINION_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    MATERIALS_FIELD_NUMBER: _ClassVar[int]
    county_project_id: str
    org_id: str
    name: str
    project_type: str
    total_investment: _common_pb2.Money
    county_opinion: str
    origin: str
    form: ApplicationForm
    catalog: _containers.RepeatedCompositeFieldContainer[DataResourceEntry]
    materials: _containers.RepeatedCompositeFieldContainer[ForwardedMaterial]
    def __init__(self, county_project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., name: _Optional[str] = ..., project_type: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., county_opinion: _Optional[str] = ..., origin: _Optional[str] = ..., form: _Optional[_Union[ApplicationForm, _Mapping]] = ..., catalog: _Optional[_Iterable[_Union[DataResourceEntry, _Mapping]]] = ..., materials: _Optional[_Iterable[_Union[ForwardedMaterial, _Mapping]]] = ...) -> None: ...

class ApplicationForm(_message.Message):
    __slots__ = ("supervising_department", "leader_name", "leader_phone", "contact_name", "contact_phone", "background", "basis_documents", "preparation_status", "schedule", "yearly_funding", "cloud_exception", "upper_level_funded", "cdo_signed_by", "cdo_signed_at")
    SUPERVISING_DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    LEADER_NAME_FIELD_NUMBER: _ClassVar[int]
    LEADER_PHONE_FIELD_NUMBER: _ClassVar[int]
    CONTACT_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_PHONE_FIELD_NUMBER: _ClassVar[int]
    BACKGROUND_FIELD_NUMBER: _ClassVar[int]
    BASIS_DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    PREPARATION_STATUS_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    YEARLY_FUNDING_FIELD_NUMBER: _ClassVar[int]
    CLOUD_EXCEPTION_FIELD_NUMBER: _ClassVar[int]
    UPPER_LEVEL_FUNDED_FIELD_NUMBER: _ClassVar[int]
    CDO_SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    CDO_SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    supervising_department: str
    leader_name: str
    leader_phone: str
    contact_name: str
    contact_phone: str
    background: str
    basis_documents: _containers.RepeatedCompositeFieldContainer[BasisDocument]
    preparation_status: str
    schedule: str
    yearly_funding: _containers.RepeatedCompositeFieldContainer[YearlyFunding]
    cloud_exception: bool
    upper_level_funded: bool
    cdo_signed_by: str
    cdo_signed_at: _timestamp_pb2.Timestamp
    def __init__(self, supervising_department: _Optional[str] = ..., leader_name: _Optional[str] = ..., leader_phone: _Optional[str] = ..., contact_name: _Optional[str] = ..., contact_phone: _Optional[str] = ..., background: _Optional[str] = ..., basis_documents: _Optional[_Iterable[_Union[BasisDocument, _Mapping]]] = ..., preparation_status: _Optional[str] = ..., schedule: _Optional[str] = ..., yearly_funding: _Optional[_Iterable[_Union[YearlyFunding, _Mapping]]] = ..., cloud_exception: _Optional[bool] = ..., upper_level_funded: _Optional[bool] = ..., cdo_signed_by: _Optional[str] = ..., cdo_signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BasisDocument(_message.Message):
    __slots__ = ("name", "number")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    name: str
    number: str
    def __init__(self, name: _Optional[str] = ..., number: _Optional[str] = ...) -> None: ...

class YearlyFunding(_message.Message):
    __slots__ = ("year", "amount")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    year: int
    amount: _common_pb2.Money
    def __init__(self, year: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class DataResourceEntry(_message.Message):
    __slots__ = ("department", "resource_name", "format_category", "format_type", "item_name", "data_type", "data_length", "share_type", "share_method", "open_to_public", "open_conditions", "update_cycle")
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    FORMAT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ITEM_NAME_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_LENGTH_FIELD_NUMBER: _ClassVar[int]
    SHARE_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHARE_METHOD_FIELD_NUMBER: _ClassVar[int]
    OPEN_TO_PUBLIC_FIELD_NUMBER: _ClassVar[int]
    OPEN_CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    UPDATE_CYCLE_FIELD_NUMBER: _ClassVar[int]
    department: str
    resource_name: str
    format_category: str
    format_type: str
    item_name: str
    data_type: str
    data_length: int
    share_type: str
    share_method: str
    open_to_public: bool
    open_conditions: str
    update_cycle: str
    def __init__(self, department: _Optional[str] = ..., resource_name: _Optional[str] = ..., format_category: _Optional[str] = ..., format_type: _Optional[str] = ..., item_name: _Optional[str] = ..., data_type: _Optional[str] = ..., data_length: _Optional[int] = ..., share_type: _Optional[str] = ..., share_method: _Optional[str] = ..., open_to_public: _Optional[bool] = ..., open_conditions: _Optional[str] = ..., update_cycle: _Optional[str] = ...) -> None: ...

class ForwardedMaterial(_message.Message):
    __slots__ = ("kind", "filename", "content_type", "sha256", "size_bytes", "uploaded_by", "uploaded_at")
    KIND_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_AT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    filename: str
    content_type: str
    sha256: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: _timestamp_pb2.Timestamp
    def __init__(self, kind: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., sha256: _Optional[str] = ..., size_bytes: _Optional[int] = ..., uploaded_by: _Optional[str] = ..., uploaded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MaterialChunk(_message.Message):
    __slots__ = ("kind", "data")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    kind: str
    data: bytes
    def __init__(self, kind: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class ForwardApplicationPartsRequest(_message.Message):
    __slots__ = ("application", "chunk")
    APPLICATION_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    application: ForwardedApplication
    chunk: MaterialChunk
    def __init__(self, application: _Optional[_Union[ForwardedApplication, _Mapping]] = ..., chunk: _Optional[_Union[MaterialChunk, _Mapping]] = ...) -> None: ...

class ForwardApplicationPartsResponse(_message.Message):
    __slots__ = ("city_project_id", "status")
    CITY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    city_project_id: str
    status: str
    def __init__(self, city_project_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("complete", "entries", "decisions", "project_type")
    COMPLETE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_TYPE_FIELD_NUMBER: _ClassVar[int]
    complete: bool
    entries: int
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    project_type: str
    def __init__(self, complete: _Optional[bool] = ..., entries: _Optional[int] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., project_type: _Optional[str] = ...) -> None: ...
