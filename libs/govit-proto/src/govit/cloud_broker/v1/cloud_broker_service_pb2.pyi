import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.cloud_broker.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResourceRequest(_message.Message):
    __slots__ = ("request_id", "project_id", "org_id", "service_mode", "status", "items", "submitted_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    project_id: str
    org_id: str
    service_mode: str
    status: str
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ResourceItem]
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., service_mode: _Optional[str] = ..., status: _Optional[str] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ResourceItem, _Mapping]]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetResourceRequestRequest(_message.Message):
    __slots__ = ("request_id",)
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class GetResourceRequestResponse(_message.Message):
    __slots__ = ("resource_request",)
    RESOURCE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    resource_request: ResourceRequest
    def __init__(self, resource_request: _Optional[_Union[ResourceRequest, _Mapping]] = ...) -> None: ...
