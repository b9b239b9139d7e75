import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TreeHeadSigned(_message.Message):
    __slots__ = ("tree_size", "root_hash", "signed_at", "signature")
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    tree_size: int
    root_hash: bytes
    signed_at: _timestamp_pb2.Timestamp
    signature: bytes
    def __init__(self, tree_size: _Optional[int] = ..., root_hash: _Optional[bytes] = ..., signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., signature: _Optional[bytes] = ...) -> None: ...

class FindingRaised(_message.Message):
    __slots__ = ("finding_id", "check", "rule", "summary", "project_id", "org_id", "evidence_leaf_indexes", "raised_at")
    FINDING_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_LEAF_INDEXES_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    finding_id: str
    check: str
    rule: _common_pb2.RuleRef
    summary: str
    project_id: str
    org_id: str
    evidence_leaf_indexes: _containers.RepeatedScalarFieldContainer[int]
    raised_at: _timestamp_pb2.Timestamp
    def __init__(self, finding_id: _Optional[str] = ..., check: _Optional[str] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ..., summary: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., evidence_leaf_indexes: _Optional[_Iterable[int]] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FindingResolved(_message.Message):
    __slots__ = ("finding_id", "check", "rule", "project_id", "org_id", "resolution", "resolved_by", "resolved_at")
    FINDING_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    finding_id: str
    check: str
    rule: _common_pb2.RuleRef
    project_id: str
    org_id: str
    resolution: str
    resolved_by: _common_pb2.Actor
    resolved_at: _timestamp_pb2.Timestamp
    def __init__(self, finding_id: _Optional[str] = ..., check: _Optional[str] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., resolution: _Optional[str] = ..., resolved_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
