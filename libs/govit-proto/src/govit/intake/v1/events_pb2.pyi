import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class OrganisationChanged(_message.Message):
    __slots__ = ("org_id", "name", "credit_code", "level", "parent_org_id", "funding_class", "cdo_subject", "cdo_name", "version", "changed_by", "changed_at")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    PARENT_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FUNDING_CLASS_FIELD_NUMBER: _ClassVar[int]
    CDO_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CDO_NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    name: str
    credit_code: str
    level: str
    parent_org_id: str
    funding_class: str
    cdo_subject: str
    cdo_name: str
    version: int
    changed_by: _common_pb2.Actor
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, org_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., level: _Optional[str] = ..., parent_org_id: _Optional[str] = ..., funding_class: _Optional[str] = ..., cdo_subject: _Optional[str] = ..., cdo_name: _Optional[str] = ..., version: _Optional[int] = ..., changed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DemandCallOpened(_message.Message):
    __slots__ = ("call_id", "plan_year", "deadline", "rule")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_YEAR_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    plan_year: int
    deadline: str
    rule: _common_pb2.RuleRef
    def __init__(self, call_id: _Optional[str] = ..., plan_year: _Optional[int] = ..., deadline: _Optional[str] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ...) -> None: ...

class ProjectSignedOff(_message.Message):
    __slots__ = ("project_id", "org_id", "signed_by", "signed_at", "rule")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    signed_by: _common_pb2.Actor
    signed_at: _timestamp_pb2.Timestamp
    rule: _common_pb2.RuleRef
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., signed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ...) -> None: ...

class ProjectEnteredLibrary(_message.Message):
    __slots__ = ("project_id", "org_id", "total_investment", "entered_at")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    ENTERED_AT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    total_investment: _common_pb2.Money
    entered_at: _timestamp_pb2.Timestamp
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., entered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PlanItemAdded(_message.Message):
    __slots__ = ("plan_year", "project_id", "org_id", "priority_type", "reason", "emergency", "document_reference", "added_by", "plan_adopted")
    PLAN_YEAR_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EMERGENCY_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ADDED_BY_FIELD_NUMBER: _ClassVar[int]
    PLAN_ADOPTED_FIELD_NUMBER: _ClassVar[int]
    plan_year: int
    project_id: str
    org_id: str
    priority_type: str
    reason: str
    emergency: bool
    document_reference: str
    added_by: _common_pb2.Actor
    plan_adopted: bool
    def __init__(self, plan_year: _Optional[int] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., priority_type: _Optional[str] = ..., reason: _Optional[str] = ..., emergency: _Optional[bool] = ..., document_reference: _Optional[str] = ..., added_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., plan_adopted: _Optional[bool] = ...) -> None: ...

class AnnualPlanAdopted(_message.Message):
    __slots__ = ("plan_year", "project_ids", "adopted_by")
    PLAN_YEAR_FIELD_NUMBER: _ClassVar[int]
    PROJECT_IDS_FIELD_NUMBER: _ClassVar[int]
    ADOPTED_BY_FIELD_NUMBER: _ClassVar[int]
    plan_year: int
    project_ids: _containers.RepeatedScalarFieldContainer[str]
    adopted_by: _common_pb2.Actor
    def __init__(self, plan_year: _Optional[int] = ..., project_ids: _Optional[_Iterable[str]] = ..., adopted_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class ProjectRebaselined(_message.Message):
    __slots__ = ("project_id", "org_id", "field", "old_value", "new_value", "reason", "changed_by")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    field: str
    old_value: str
    new_value: str
    reason: str
    changed_by: _common_pb2.Actor
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., field: _Optional[str] = ..., old_value: _Optional[str] = ..., new_value: _Optional[str] = ..., reason: _Optional[str] = ..., changed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class ProjectActualsReported(_message.Message):
    __slots__ = ("project_id", "org_id", "planned_cost", "planned_start", "planned_end", "actual_cost", "actual_start", "actual_end", "reported_by", "reported_at")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PLANNED_COST_FIELD_NUMBER: _ClassVar[int]
    PLANNED_START_FIELD_NUMBER: _ClassVar[int]
    PLANNED_END_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_COST_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_START_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_END_FIELD_NUMBER: _ClassVar[int]
    REPORTED_BY_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    planned_cost: _common_pb2.Money
    planned_start: str
    planned_end: str
    actual_cost: _common_pb2.Money
    actual_start: str
    actual_end: str
    reported_by: _common_pb2.Actor
    reported_at: _timestamp_pb2.Timestamp
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., planned_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., planned_start: _Optional[str] = ..., planned_end: _Optional[str] = ..., actual_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., actual_start: _Optional[str] = ..., actual_end: _Optional[str] = ..., reported_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., reported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SystemLifecycleChanged(_message.Message):
    __slots__ = ("system_id", "owner_org_id", "action", "status", "grounds", "plan", "cloud_resource_ids", "merged_into_system_id", "new_owner_org_id", "rule", "actor", "project_id")
    SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    GROUNDS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    CLOUD_RESOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_OWNER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    system_id: str
    owner_org_id: str
    action: str
    status: str
    grounds: str
    plan: str
    cloud_resource_ids: _containers.RepeatedScalarFieldContainer[str]
    merged_into_system_id: str
    new_owner_org_id: str
    rule: _common_pb2.RuleRef
    actor: _common_pb2.Actor
    project_id: str
    def __init__(self, system_id: _Optional[str] = ..., owner_org_id: _Optional[str] = ..., action: _Optional[str] = ..., status: _Optional[str] = ..., grounds: _Optional[str] = ..., plan: _Optional[str] = ..., cloud_resource_ids: _Optional[_Iterable[str]] = ..., merged_into_system_id: _Optional[str] = ..., new_owner_org_id: _Optional[str] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., project_id: _Optional[str] = ...) -> None: ...

class ProjectForwarded(_message.Message):
    __slots__ = ("project_id", "org_id", "city_project_id", "county_opinion", "forwarded_by")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CITY_PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTY_OPINION_FIELD_NUMBER: _ClassVar[int]
    FORWARDED_BY_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    city_project_id: str
    county_opinion: str
    forwarded_by: _common_pb2.Actor
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., city_project_id: _Optional[str] = ..., county_opinion: _Optional[str] = ..., forwarded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class ProjectFiled(_message.Message):
    __slots__ = ("project_id", "org_id", "name", "total_investment", "filed_by", "filed_at", "rule")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    name: str
    total_investment: _common_pb2.Money
    filed_by: _common_pb2.Actor
    filed_at: _timestamp_pb2.Timestamp
    rule: _common_pb2.RuleRef
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., name: _Optional[str] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., filed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., filed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ...) -> None: ...

class AnnualPlanOpened(_message.Message):
    __slots__ = ("plan_year", "opened_by", "opened_at")
    PLAN_YEAR_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    plan_year: int
    opened_by: _common_pb2.Actor
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, plan_year: _Optional[int] = ..., opened_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SecurityRectificationChanged(_message.Message):
    __slots__ = ("rectification_id", "org_id", "finding", "opened_at", "closed_at", "actor", "rule")
    RECTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    rectification_id: str
    org_id: str
    finding: str
    opened_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    actor: _common_pb2.Actor
    rule: _common_pb2.RuleRef
    def __init__(self, rectification_id: _Optional[str] = ..., org_id: _Optional[str] = ..., finding: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ...) -> None: ...
