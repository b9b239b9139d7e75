import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.cloud_broker.v1 import types_pb2 as _types_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListWorkOrdersRequest(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: str
    def __init__(self, status: _Optional[str] = ...) -> None: ...

class ListWorkOrdersResponse(_message.Message):
    __slots__ = ("work_orders",)
    WORK_ORDERS_FIELD_NUMBER: _ClassVar[int]
    work_orders: _containers.RepeatedCompositeFieldContainer[_types_pb2.WorkOrder]
    def __init__(self, work_orders: _Optional[_Iterable[_Union[_types_pb2.WorkOrder, _Mapping]]] = ...) -> None: ...

class WatchWorkOrdersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WatchWorkOrdersResponse(_message.Message):
    __slots__ = ("work_order",)
    WORK_ORDER_FIELD_NUMBER: _ClassVar[int]
    work_order: _types_pb2.WorkOrder
    def __init__(self, work_order: _Optional[_Union[_types_pb2.WorkOrder, _Mapping]] = ...) -> None: ...

class ClaimWorkOrderRequest(_message.Message):
    __slots__ = ("order_id", "lease_seconds", "originating_identity")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    lease_seconds: int
    originating_identity: str
    def __init__(self, order_id: _Optional[str] = ..., lease_seconds: _Optional[int] = ..., originating_identity: _Optional[str] = ...) -> None: ...

class ClaimWorkOrderResponse(_message.Message):
    __slots__ = ("work_order",)
    WORK_ORDER_FIELD_NUMBER: _ClassVar[int]
    work_order: _types_pb2.WorkOrder
    def __init__(self, work_order: _Optional[_Union[_types_pb2.WorkOrder, _Mapping]] = ...) -> None: ...

class RenewLeaseRequest(_message.Message):
    __slots__ = ("order_id", "lease_seconds")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LEASE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    lease_seconds: int
    def __init__(self, order_id: _Optional[str] = ..., lease_seconds: _Optional[int] = ...) -> None: ...

class RenewLeaseResponse(_message.Message):
    __slots__ = ("work_order",)
    WORK_ORDER_FIELD_NUMBER: _ClassVar[int]
    work_order: _types_pb2.WorkOrder
    def __init__(self, work_order: _Optional[_Union[_types_pb2.WorkOrder, _Mapping]] = ...) -> None: ...

class ReportProgressRequest(_message.Message):
    __slots__ = ("order_id", "percent", "note", "originating_identity")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    percent: int
    note: str
    originating_identity: str
    def __init__(self, order_id: _Optional[str] = ..., percent: _Optional[int] = ..., note: _Optional[str] = ..., originating_identity: _Optional[str] = ...) -> None: ...

class ReportProgressResponse(_message.Message):
    __slots__ = ("work_order",)
    WORK_ORDER_FIELD_NUMBER: _ClassVar[int]
    work_order: _types_pb2.WorkOrder
    def __init__(self, work_order: _Optional[_Union[_types_pb2.WorkOrder, _Mapping]] = ...) -> None: ...

class CompleteWorkOrderRequest(_message.Message):
    __slots__ = ("order_id", "resource_ids", "originating_identity")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    resource_ids: _containers.RepeatedScalarFieldContainer[str]
    originating_identity: str
    def __init__(self, order_id: _Optional[str] = ..., resource_ids: _Optional[_Iterable[str]] = ..., originating_identity: _Optional[str] = ...) -> None: ...

class CompleteWorkOrderResponse(_message.Message):
    __slots__ = ("operation",)
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    operation: _types_pb2.Operation
    def __init__(self, operation: _Optional[_Union[_types_pb2.Operation, _Mapping]] = ...) -> None: ...

class FailWorkOrderRequest(_message.Message):
    __slots__ = ("order_id", "reason", "originating_identity")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    reason: str
    originating_identity: str
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[str] = ..., originating_identity: _Optional[str] = ...) -> None: ...

class FailWorkOrderResponse(_message.Message):
    __slots__ = ("operation",)
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    operation: _types_pb2.Operation
    def __init__(self, operation: _Optional[_Union[_types_pb2.Operation, _Mapping]] = ...) -> None: ...

class AttestWipeRequest(_message.Message):
    __slots__ = ("order_id", "resource_ids", "method", "attested_by", "originating_identity", "operation_logs_kept_until")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    ATTESTED_BY_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    OPERATION_LOGS_KEPT_UNTIL_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    resource_ids: _containers.RepeatedScalarFieldContainer[str]
    method: str
    attested_by: str
    originating_identity: str
    operation_logs_kept_until: str
    def __init__(self, order_id: _Optional[str] = ..., resource_ids: _Optional[_Iterable[str]] = ..., method: _Optional[str] = ..., attested_by: _Optional[str] = ..., originating_identity: _Optional[str] = ..., operation_logs_kept_until: _Optional[str] = ...) -> None: ...

class AttestWipeResponse(_message.Message):
    __slots__ = ("operation",)
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    operation: _types_pb2.Operation
    def __init__(self, operation: _Optional[_Union[_types_pb2.Operation, _Mapping]] = ...) -> None: ...

class GetOperationRequest(_message.Message):
    __slots__ = ("operation_id",)
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    operation_id: str
    def __init__(self, operation_id: _Optional[str] = ...) -> None: ...

class GetOperationResponse(_message.Message):
    __slots__ = ("operation",)
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    operation: _types_pb2.Operation
    def __init__(self, operation: _Optional[_Union[_types_pb2.Operation, _Mapping]] = ...) -> None: ...

class ReportUtilisationRequest(_message.Message):
    __slots__ = ("figures",)
    FIGURES_FIELD_NUMBER: _ClassVar[int]
    figures: _containers.RepeatedCompositeFieldContainer[_types_pb2.UtilisationFigure]
    def __init__(self, figures: _Optional[_Iterable[_Union[_types_pb2.UtilisationFigure, _Mapping]]] = ...) -> None: ...

class ReportUtilisationResponse(_message.Message):
    __slots__ = ("accepted",)
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    def __init__(self, accepted: _Optional[int] = ...) -> None: ...

class FileMonthlyReportRequest(_message.Message):
    __slots__ = ("period", "utilisation", "om", "optimisation", "security")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UTILISATION_FIELD_NUMBER: _ClassVar[int]
    OM_FIELD_NUMBER: _ClassVar[int]
    OPTIMISATION_FIELD_NUMBER: _ClassVar[int]
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    period: str
    utilisation: str
    om: str
    optimisation: str
    security: str
    def __init__(self, period: _Optional[str] = ..., utilisation: _Optional[str] = ..., om: _Optional[str] = ..., optimisation: _Optional[str] = ..., security: _Optional[str] = ...) -> None: ...

class FileMonthlyReportResponse(_message.Message):
    __slots__ = ("report_id", "period", "late", "decisions")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    period: str
    late: bool
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, report_id: _Optional[str] = ..., period: _Optional[str] = ..., late: _Optional[bool] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class FilePlatformChangeRequest(_message.Message):
    __slots__ = ("title", "plan", "major", "users_notified", "starts_at")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    MAJOR_FIELD_NUMBER: _ClassVar[int]
    USERS_NOTIFIED_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    title: str
    plan: str
    major: bool
    users_notified: bool
    starts_at: _timestamp_pb2.Timestamp
    def __init__(self, title: _Optional[str] = ..., plan: _Optional[str] = ..., major: _Optional[bool] = ..., users_notified: _Optional[bool] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FilePlatformChangeResponse(_message.Message):
    __slots__ = ("change_id", "decisions")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, change_id: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class RecordDrillRequest(_message.Message):
    __slots__ = ("held_on", "summary")
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    held_on: str
    summary: str
    def __init__(self, held_on: _Optional[str] = ..., summary: _Optional[str] = ...) -> None: ...

class RecordDrillResponse(_message.Message):
    __slots__ = ("drill_id", "platform_id", "held_on")
    DRILL_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    drill_id: str
    platform_id: str
    held_on: str
    def __init__(self, drill_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., held_on: _Optional[str] = ...) -> None: ...
