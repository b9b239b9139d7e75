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

class ResourceRequestSubmitted(_message.Message):
    __slots__ = ("request_id", "project_id", "org_id", "service_mode", "items", "submitted_by", "submitted_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    project_id: str
    org_id: str
    service_mode: str
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ResourceItem]
    submitted_by: _common_pb2.Actor
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., service_mode: _Optional[str] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ResourceItem, _Mapping]]] = ..., submitted_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResourceRequestTransitioned(_message.Message):
    __slots__ = ("request_id", "project_id", "org_id", "action", "from_status", "to_status", "reason", "actor", "decisions", "service_mode", "platform_id", "items", "at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODE_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    project_id: str
    org_id: str
    action: str
    from_status: str
    to_status: str
    reason: str
    actor: _common_pb2.Actor
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    service_mode: str
    platform_id: str
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ResourceItem]
    at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., action: _Optional[str] = ..., from_status: _Optional[str] = ..., to_status: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., service_mode: _Optional[str] = ..., platform_id: _Optional[str] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ResourceItem, _Mapping]]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ResourceRequestMigration(_message.Message):
    __slots__ = ("request_id", "project_id", "org_id", "act", "impact", "status", "plan_document", "reason", "affected_org_ids", "planned_start", "actor", "decisions", "at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ACT_FIELD_NUMBER: _ClassVar[int]
    IMPACT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLAN_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AFFECTED_ORG_IDS_FIELD_NUMBER: _ClassVar[int]
    PLANNED_START_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    project_id: str
    org_id: str
    act: str
    impact: str
    status: str
    plan_document: str
    reason: str
    affected_org_ids: _containers.RepeatedScalarFieldContainer[str]
    planned_start: _timestamp_pb2.Timestamp
    actor: _common_pb2.Actor
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., act: _Optional[str] = ..., impact: _Optional[str] = ..., status: _Optional[str] = ..., plan_document: _Optional[str] = ..., reason: _Optional[str] = ..., affected_org_ids: _Optional[_Iterable[str]] = ..., planned_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChangeRequestChanged(_message.Message):
    __slots__ = ("change_id", "request_id", "org_id", "status", "major", "items", "reason", "actor", "decisions", "at")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MAJOR_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    request_id: str
    org_id: str
    status: str
    major: bool
    items: _containers.RepeatedCompositeFieldContainer[_types_pb2.ResourceItem]
    reason: str
    actor: _common_pb2.Actor
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    at: _timestamp_pb2.Timestamp
    def __init__(self, change_id: _Optional[str] = ..., request_id: _Optional[str] = ..., org_id: _Optional[str] = ..., status: _Optional[str] = ..., major: _Optional[bool] = ..., items: _Optional[_Iterable[_Union[_types_pb2.ResourceItem, _Mapping]]] = ..., reason: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WorkOrderChanged(_message.Message):
    __slots__ = ("order_id", "request_id", "org_id", "platform_id", "kind", "status", "resource_ids", "progress_percent", "reason", "originating_identity", "actor", "at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ORIGINATING_IDENTITY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    request_id: str
    org_id: str
    platform_id: str
    kind: str
    status: str
    resource_ids: _containers.RepeatedScalarFieldContainer[str]
    progress_percent: int
    reason: str
    originating_identity: str
    actor: _common_pb2.Actor
    at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., request_id: _Optional[str] = ..., org_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., resource_ids: _Optional[_Iterable[str]] = ..., progress_percent: _Optional[int] = ..., reason: _Optional[str] = ..., originating_identity: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeadlinePassed(_message.Message):
    __slots__ = ("deadline_id", "subject_kind", "subject_id", "kind", "org_id", "party", "rule_id", "article", "reason", "due_at")
    DEADLINE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    deadline_id: str
    subject_kind: str
    subject_id: str
    kind: str
    org_id: str
    party: str
    rule_id: str
    article: str
    reason: str
    due_at: _timestamp_pb2.Timestamp
    def __init__(self, deadline_id: _Optional[str] = ..., subject_kind: _Optional[str] = ..., subject_id: _Optional[str] = ..., kind: _Optional[str] = ..., org_id: _Optional[str] = ..., party: _Optional[str] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ..., reason: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeadlineRecounted(_message.Message):
    __slots__ = ("deadline_id", "subject_kind", "subject_id", "kind", "org_id", "party", "rule_id", "article", "reason", "due_at", "previous_due_at", "calendar")
    DEADLINE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    deadline_id: str
    subject_kind: str
    subject_id: str
    kind: str
    org_id: str
    party: str
    rule_id: str
    article: str
    reason: str
    due_at: _timestamp_pb2.Timestamp
    previous_due_at: _timestamp_pb2.Timestamp
    calendar: str
    def __init__(self, deadline_id: _Optional[str] = ..., subject_kind: _Optional[str] = ..., subject_id: _Optional[str] = ..., kind: _Optional[str] = ..., org_id: _Optional[str] = ..., party: _Optional[str] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ..., reason: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., previous_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., calendar: _Optional[str] = ...) -> None: ...

class ProviderPlatformAdded(_message.Message):
    __slots__ = ("platform_id", "name")
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    platform_id: str
    name: str
    def __init__(self, platform_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class SkuAdded(_message.Message):
    __slots__ = ("sku", "name", "unit", "service_modes")
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODES_FIELD_NUMBER: _ClassVar[int]
    sku: str
    name: str
    unit: str
    service_modes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, sku: _Optional[str] = ..., name: _Optional[str] = ..., unit: _Optional[str] = ..., service_modes: _Optional[_Iterable[str]] = ...) -> None: ...

class SkuRetired(_message.Message):
    __slots__ = ("sku",)
    SKU_FIELD_NUMBER: _ClassVar[int]
    sku: str
    def __init__(self, sku: _Optional[str] = ...) -> None: ...

class SkuPriceSet(_message.Message):
    __slots__ = ("price_id", "sku", "platform_id", "unit_price", "valid_from", "valid_to")
    PRICE_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_TO_FIELD_NUMBER: _ClassVar[int]
    price_id: str
    sku: str
    platform_id: str
    unit_price: _common_pb2.Money
    valid_from: str
    valid_to: str
    def __init__(self, price_id: _Optional[str] = ..., sku: _Optional[str] = ..., platform_id: _Optional[str] = ..., unit_price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., valid_from: _Optional[str] = ..., valid_to: _Optional[str] = ...) -> None: ...

class CloudUnitRegistered(_message.Message):
    __slots__ = ("org_id", "name", "level", "county_authority_org", "jurisdiction", "funding")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    COUNTY_AUTHORITY_ORG_FIELD_NUMBER: _ClassVar[int]
    JURISDICTION_FIELD_NUMBER: _ClassVar[int]
    FUNDING_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    name: str
    level: str
    county_authority_org: str
    jurisdiction: str
    funding: str
    def __init__(self, org_id: _Optional[str] = ..., name: _Optional[str] = ..., level: _Optional[str] = ..., county_authority_org: _Optional[str] = ..., jurisdiction: _Optional[str] = ..., funding: _Optional[str] = ...) -> None: ...

class ResourceOwnerChanged(_message.Message):
    __slots__ = ("request_id", "system_id", "from_org_id", "to_org_id", "effective_at", "rule", "event_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SYSTEM_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TO_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_AT_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    system_id: str
    from_org_id: str
    to_org_id: str
    effective_at: _timestamp_pb2.Timestamp
    rule: _common_pb2.RuleRef
    event_id: str
    def __init__(self, request_id: _Optional[str] = ..., system_id: _Optional[str] = ..., from_org_id: _Optional[str] = ..., to_org_id: _Optional[str] = ..., effective_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule: _Optional[_Union[_common_pb2.RuleRef, _Mapping]] = ..., event_id: _Optional[str] = ...) -> None: ...

class QuotaSet(_message.Message):
    __slots__ = ("scope", "scope_id", "sku", "limit")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    SCOPE_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    scope: str
    scope_id: str
    sku: str
    limit: int
    def __init__(self, scope: _Optional[str] = ..., scope_id: _Optional[str] = ..., sku: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class UnitMarked(_message.Message):
    __slots__ = ("org_id", "year", "finding_id", "reason", "rule_id", "article", "marked_by")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    FINDING_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    MARKED_BY_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    year: int
    finding_id: str
    reason: str
    rule_id: str
    article: str
    marked_by: _common_pb2.Actor
    def __init__(self, org_id: _Optional[str] = ..., year: _Optional[int] = ..., finding_id: _Optional[str] = ..., reason: _Optional[str] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ..., marked_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class UtilisationReported(_message.Message):
    __slots__ = ("reporter", "periods", "count")
    REPORTER_FIELD_NUMBER: _ClassVar[int]
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    reporter: _common_pb2.Actor
    periods: _containers.RepeatedScalarFieldContainer[str]
    count: int
    def __init__(self, reporter: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., periods: _Optional[_Iterable[str]] = ..., count: _Optional[int] = ...) -> None: ...

class UtilisationFindingsRecorded(_message.Message):
    __slots__ = ("org_id", "period", "low", "high", "mixed", "missing", "rule_id", "article")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    MIXED_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    period: str
    low: int
    high: int
    mixed: int
    missing: int
    rule_id: str
    article: str
    def __init__(self, org_id: _Optional[str] = ..., period: _Optional[str] = ..., low: _Optional[int] = ..., high: _Optional[int] = ..., mixed: _Optional[int] = ..., missing: _Optional[int] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ...) -> None: ...

class UtilisationFindingChanged(_message.Message):
    __slots__ = ("finding_id", "resource_id", "org_id", "period", "finding", "status", "plan", "reason", "actor")
    FINDING_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    finding_id: str
    resource_id: str
    org_id: str
    period: str
    finding: str
    status: str
    plan: str
    reason: str
    actor: _common_pb2.Actor
    def __init__(self, finding_id: _Optional[str] = ..., resource_id: _Optional[str] = ..., org_id: _Optional[str] = ..., period: _Optional[str] = ..., finding: _Optional[str] = ..., status: _Optional[str] = ..., plan: _Optional[str] = ..., reason: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class BillLineIssued(_message.Message):
    __slots__ = ("bill_line_id", "period", "org_id", "platform_id", "service_mode", "amount", "usage_lines", "unit_level", "unit_funding", "rule_id", "article")
    BILL_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_MODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    USAGE_LINES_FIELD_NUMBER: _ClassVar[int]
    UNIT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    UNIT_FUNDING_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    bill_line_id: str
    period: str
    org_id: str
    platform_id: str
    service_mode: str
    amount: _common_pb2.Money
    usage_lines: int
    unit_level: str
    unit_funding: str
    rule_id: str
    article: str
    def __init__(self, bill_line_id: _Optional[str] = ..., period: _Optional[str] = ..., org_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., service_mode: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., usage_lines: _Optional[int] = ..., unit_level: _Optional[str] = ..., unit_funding: _Optional[str] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ...) -> None: ...

class BilledPlatform(_message.Message):
    __slots__ = ("platform_id", "bill_lines", "amount")
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_LINES_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    platform_id: str
    bill_lines: int
    amount: _common_pb2.Money
    def __init__(self, platform_id: _Optional[str] = ..., bill_lines: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class UnpricedUsage(_message.Message):
    __slots__ = ("platform_id", "sku", "resources", "quantity")
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    platform_id: str
    sku: str
    resources: int
    quantity: int
    def __init__(self, platform_id: _Optional[str] = ..., sku: _Optional[str] = ..., resources: _Optional[int] = ..., quantity: _Optional[int] = ...) -> None: ...

class BillingMonthClosed(_message.Message):
    __slots__ = ("period", "platforms", "rule_id", "article", "unpriced")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PLATFORMS_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    UNPRICED_FIELD_NUMBER: _ClassVar[int]
    period: str
    platforms: _containers.RepeatedCompositeFieldContainer[BilledPlatform]
    rule_id: str
    article: str
    unpriced: _containers.RepeatedCompositeFieldContainer[UnpricedUsage]
    def __init__(self, period: _Optional[str] = ..., platforms: _Optional[_Iterable[_Union[BilledPlatform, _Mapping]]] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ..., unpriced: _Optional[_Iterable[_Union[UnpricedUsage, _Mapping]]] = ...) -> None: ...

class ProviderReportFiled(_message.Message):
    __slots__ = ("report_id", "platform_id", "period", "late", "sections", "filed_by", "decisions")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    platform_id: str
    period: str
    late: bool
    sections: _containers.RepeatedScalarFieldContainer[str]
    filed_by: _common_pb2.Actor
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, report_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., period: _Optional[str] = ..., late: _Optional[bool] = ..., sections: _Optional[_Iterable[str]] = ..., filed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class EmergencyDrillRecorded(_message.Message):
    __slots__ = ("drill_id", "platform_id", "held_on", "summary", "filed_by")
    DRILL_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_ON_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    drill_id: str
    platform_id: str
    held_on: str
    summary: str
    filed_by: _common_pb2.Actor
    def __init__(self, drill_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., held_on: _Optional[str] = ..., summary: _Optional[str] = ..., filed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class PlatformChangeFiled(_message.Message):
    __slots__ = ("change_id", "platform_id", "title", "major", "users_notified", "starts_at", "decisions", "flagged", "filed_by")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    MAJOR_FIELD_NUMBER: _ClassVar[int]
    USERS_NOTIFIED_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    platform_id: str
    title: str
    major: bool
    users_notified: bool
    starts_at: _timestamp_pb2.Timestamp
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    flagged: bool
    filed_by: _common_pb2.Actor
    def __init__(self, change_id: _Optional[str] = ..., platform_id: _Optional[str] = ..., title: _Optional[str] = ..., major: _Optional[bool] = ..., users_notified: _Optional[bool] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., flagged: _Optional[bool] = ..., filed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...
