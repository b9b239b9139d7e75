import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResourceItem(_message.Message):
    __slots__ = ("sku", "quantity")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class WorkOrder(_message.Message):
    __slots__ = ("order_id", "request_id", "platform_id", "kind", "status", "service_mode", "items", "resource_ids", "lease_expires_at", "progress_percent", "created_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    LEASE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    request_id: str
    platform_id: str
    kind: str
    status: str
    service_mode: str
    items: _containers.RepeatedCompositeFieldContainer[ResourceItem]
    resource_ids: _containers.RepeatedScalarFieldContainer[str]
    lease_expires_at: _timestamp_pb2.Timestamp
    progress_percent: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., request_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., service_mode: _Optional[str] = ..., items: _Optional[_Iterable[_Union[ResourceItem, _Mapping]]] = ..., resource_ids: _Optional[_Iterable[str]] = ..., lease_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., progress_percent: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Operation(_message.Message):
    __slots__ = ("operation_id", "order_id", "action", "state", "description")
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    operation_id: str
    order_id: str
    action: str
    state: str
    description: str
    def __init__(self, operation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., action: _Optional[str] = ..., state: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class UtilisationFigure(_message.Message):
    __slots__ = ("resource_id", "period", "cpu_avg_percent", "memory_avg_percent", "storage_used_gb", "storage_total_gb")
    RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CPU_AVG_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MEMORY_AVG_PERCENT_FIELD_NUMBER: _ClassVar[int]
    STORAGE_USED_GB_FIELD_NUMBER: _ClassVar[int]
    STORAGE_TOTAL_GB_FIELD_NUMBER: _ClassVar[int]
    resource_id: str
    period: str
    cpu_avg_percent: str
    memory_avg_percent: str
    storage_used_gb: str
    storage_total_gb: str
    def __init__(self, resource_id: _Optional[str] = ..., period: _Optional[str] = ..., cpu_avg_percent: _Optional[str] = ..., memory_avg_percent: _Optional[str] = ..., storage_used_gb: _Optional[str] = ..., storage_total_gb: _Optional[str] = ...) -> None: ...
