import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from govit.review.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReviewCaseOpened(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "track", "decisions", "opened_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    TRACK_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    track: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., track: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReviewCaseConcluded(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "conclusion", "reason", "reviewer", "concluded_at", "round", "required_revisions", "decisions", "total_investment")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CONCLUSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    CONCLUDED_AT_FIELD_NUMBER: _ClassVar[int]
    ROUND_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_REVISIONS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    conclusion: _types_pb2.Conclusion
    reason: str
    reviewer: _common_pb2.Actor
    concluded_at: _timestamp_pb2.Timestamp
    round: int
    required_revisions: _containers.RepeatedScalarFieldContainer[str]
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    total_investment: _common_pb2.Money
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., conclusion: _Optional[_Union[_types_pb2.Conclusion, str]] = ..., reason: _Optional[str] = ..., reviewer: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., concluded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., round: _Optional[int] = ..., required_revisions: _Optional[_Iterable[str]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class PoolMemberRegistered(_message.Message):
    __slots__ = ("member_id", "pool", "name", "employer_org_id", "specialties", "available", "conflicts", "registered_by")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMPLOYER_ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SPECIALTIES_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    pool: str
    name: str
    employer_org_id: str
    specialties: _containers.RepeatedScalarFieldContainer[str]
    available: bool
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    registered_by: _common_pb2.Actor
    def __init__(self, member_id: _Optional[str] = ..., pool: _Optional[str] = ..., name: _Optional[str] = ..., employer_org_id: _Optional[str] = ..., specialties: _Optional[_Iterable[str]] = ..., available: _Optional[bool] = ..., conflicts: _Optional[_Iterable[str]] = ..., registered_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class PoolMemberUpdated(_message.Message):
    __slots__ = ("member_id", "specialties", "available", "conflicts", "version", "updated_by")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    SPECIALTIES_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_BY_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    specialties: _containers.RepeatedScalarFieldContainer[str]
    available: bool
    conflicts: _containers.RepeatedScalarFieldContainer[str]
    version: int
    updated_by: _common_pb2.Actor
    def __init__(self, member_id: _Optional[str] = ..., specialties: _Optional[_Iterable[str]] = ..., available: _Optional[bool] = ..., conflicts: _Optional[_Iterable[str]] = ..., version: _Optional[int] = ..., updated_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ...) -> None: ...

class Exclusion(_message.Message):
    __slots__ = ("member_id", "reason")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    reason: str
    def __init__(self, member_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DrawMade(_message.Message):
    __slots__ = ("draw_id", "case_id", "project_id", "org_id", "pool", "kind", "specialty", "count", "seed", "candidates", "excluded", "picked", "replaces_assignment_id", "decline_reason", "decisions", "drawn_by", "drawn_at")
    DRAW_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SPECIALTY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    EXCLUDED_FIELD_NUMBER: _ClassVar[int]
    PICKED_FIELD_NUMBER: _ClassVar[int]
    REPLACES_ASSIGNMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DECLINE_REASON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    DRAWN_BY_FIELD_NUMBER: _ClassVar[int]
    DRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    draw_id: str
    case_id: str
    project_id: str
    org_id: str
    pool: str
    kind: str
    specialty: str
    count: int
    seed: str
    candidates: _containers.RepeatedScalarFieldContainer[str]
    excluded: _containers.RepeatedCompositeFieldContainer[Exclusion]
    picked: _containers.RepeatedScalarFieldContainer[str]
    replaces_assignment_id: str
    decline_reason: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    drawn_by: _common_pb2.Actor
    drawn_at: _timestamp_pb2.Timestamp
    def __init__(self, draw_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., pool: _Optional[str] = ..., kind: _Optional[str] = ..., specialty: _Optional[str] = ..., count: _Optional[int] = ..., seed: _Optional[str] = ..., candidates: _Optional[_Iterable[str]] = ..., excluded: _Optional[_Iterable[_Union[Exclusion, _Mapping]]] = ..., picked: _Optional[_Iterable[str]] = ..., replaces_assignment_id: _Optional[str] = ..., decline_reason: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., drawn_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., drawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PreCheckResult(_message.Message):
    __slots__ = ("pre_check_id", "ground", "decision")
    PRE_CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    pre_check_id: str
    ground: str
    decision: _common_pb2.Decision
    def __init__(self, pre_check_id: _Optional[str] = ..., ground: _Optional[str] = ..., decision: _Optional[_Union[_common_pb2.Decision, _Mapping]] = ...) -> None: ...

class CasePreChecked(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "raised", "cleared", "declared_by", "checked_at")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    RAISED_FIELD_NUMBER: _ClassVar[int]
    CLEARED_FIELD_NUMBER: _ClassVar[int]
    DECLARED_BY_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    raised: _containers.RepeatedCompositeFieldContainer[PreCheckResult]
    cleared: _containers.RepeatedScalarFieldContainer[str]
    declared_by: _common_pb2.Actor
    checked_at: _timestamp_pb2.Timestamp
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., raised: _Optional[_Iterable[_Union[PreCheckResult, _Mapping]]] = ..., cleared: _Optional[_Iterable[str]] = ..., declared_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., checked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PreCheckOverruled(_message.Message):
    __slots__ = ("pre_check_id", "case_id", "project_id", "org_id", "ground", "rule_id", "article", "reason", "overruled_by", "overruled_at")
    PRE_CHECK_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    GROUND_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ARTICLE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OVERRULED_BY_FIELD_NUMBER: _ClassVar[int]
    OVERRULED_AT_FIELD_NUMBER: _ClassVar[int]
    pre_check_id: str
    case_id: str
    project_id: str
    org_id: str
    ground: str
    rule_id: str
    article: str
    reason: str
    overruled_by: _common_pb2.Actor
    overruled_at: _timestamp_pb2.Timestamp
    def __init__(self, pre_check_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., ground: _Optional[str] = ..., rule_id: _Optional[str] = ..., article: _Optional[str] = ..., reason: _Optional[str] = ..., overruled_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., overruled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpinionRecorded(_message.Message):
    __slots__ = ("opinion_id", "case_id", "project_id", "org_id", "round", "capacity", "version", "recommendation", "author", "recorded_at")
    OPINION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    opinion_id: str
    case_id: str
    project_id: str
    org_id: str
    round: int
    capacity: str
    version: int
    recommendation: str
    author: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, opinion_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., round: _Optional[int] = ..., capacity: _Optional[str] = ..., version: _Optional[int] = ..., recommendation: _Optional[str] = ..., author: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CaseResubmitted(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "round", "note", "resubmitted_by", "resubmitted_at", "track", "decisions", "total_investment")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ROUND_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    RESUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    RESUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    TRACK_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INVESTMENT_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    round: int
    note: str
    resubmitted_by: _common_pb2.Actor
    resubmitted_at: _timestamp_pb2.Timestamp
    track: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    total_investment: _common_pb2.Money
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., round: _Optional[int] = ..., note: _Optional[str] = ..., resubmitted_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., resubmitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., track: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., total_investment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ApprovalStepRecorded(_message.Message):
    __slots__ = ("step_id", "case_id", "project_id", "org_id", "step", "document_number", "approved_amount", "decisions", "recorded_by", "recorded_at")
    STEP_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    step_id: str
    case_id: str
    project_id: str
    org_id: str
    step: str
    document_number: str
    approved_amount: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    recorded_by: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, step_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., step: _Optional[str] = ..., document_number: _Optional[str] = ..., approved_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., recorded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ChangeRecorded(_message.Message):
    __slots__ = ("change_id", "case_id", "project_id", "org_id", "kind", "route", "status", "approved_total", "new_total", "amount_adjusted", "decisions", "opinion", "actor", "recorded_at")
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    NEW_TOTAL_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ADJUSTED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    OPINION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    change_id: str
    case_id: str
    project_id: str
    org_id: str
    kind: str
    route: str
    status: str
    approved_total: _common_pb2.Money
    new_total: _common_pb2.Money
    amount_adjusted: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    opinion: str
    actor: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, change_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., kind: _Optional[str] = ..., route: _Optional[str] = ..., status: _Optional[str] = ..., approved_total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., new_total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_adjusted: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., opinion: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RectificationIssued(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "finding", "description", "security", "hold_payments", "blocks_new_projects", "due_at", "decisions", "issued_by", "issued_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FINDING_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SECURITY_FIELD_NUMBER: _ClassVar[int]
    HOLD_PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_NEW_PROJECTS_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    ISSUED_BY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    finding: str
    description: str
    security: bool
    hold_payments: bool
    blocks_new_projects: bool
    due_at: _timestamp_pb2.Timestamp
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    issued_by: _common_pb2.Actor
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., finding: _Optional[str] = ..., description: _Optional[str] = ..., security: _Optional[bool] = ..., hold_payments: _Optional[bool] = ..., blocks_new_projects: _Optional[bool] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., issued_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RectificationEscalated(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "level", "sanction", "decisions", "escalated_by", "escalated_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    SANCTION_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_BY_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    level: int
    sanction: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    escalated_by: _common_pb2.Actor
    escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., level: _Optional[int] = ..., sanction: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., escalated_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RectificationRecounted(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "level", "due_at", "previous_due_at", "calendar")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CALENDAR_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    level: int
    due_at: _timestamp_pb2.Timestamp
    previous_due_at: _timestamp_pb2.Timestamp
    calendar: str
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., level: _Optional[int] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., previous_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., calendar: _Optional[str] = ...) -> None: ...

class RectificationResolved(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "note", "blocks_new_projects", "resolved_by", "resolved_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_NEW_PROJECTS_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    note: str
    blocks_new_projects: bool
    resolved_by: _common_pb2.Actor
    resolved_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., note: _Optional[str] = ..., blocks_new_projects: _Optional[bool] = ..., resolved_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AcceptanceRecorded(_message.Message):
    __slots__ = ("acceptance_id", "case_id", "project_id", "org_id", "stage", "accepted_on", "om_eligible", "evaluation_earliest_on", "evaluation_due_on", "decisions", "recorded_by", "recorded_at")
    ACCEPTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ON_FIELD_NUMBER: _ClassVar[int]
    OM_ELIGIBLE_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_EARLIEST_ON_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_DUE_ON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    acceptance_id: str
    case_id: str
    project_id: str
    org_id: str
    stage: str
    accepted_on: str
    om_eligible: bool
    evaluation_earliest_on: str
    evaluation_due_on: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    recorded_by: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, acceptance_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., stage: _Optional[str] = ..., accepted_on: _Optional[str] = ..., om_eligible: _Optional[bool] = ..., evaluation_earliest_on: _Optional[str] = ..., evaluation_due_on: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., recorded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PreApprovalRecorded(_message.Message):
    __slots__ = ("pre_approval_id", "case_id", "project_id", "org_id", "status", "trial_run_ended_on", "reason", "decisions", "actor", "recorded_at")
    PRE_APPROVAL_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TRIAL_RUN_ENDED_ON_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    pre_approval_id: str
    case_id: str
    project_id: str
    org_id: str
    status: str
    trial_run_ended_on: str
    reason: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    actor: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, pre_approval_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., status: _Optional[str] = ..., trial_run_ended_on: _Optional[str] = ..., reason: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProgressReportRecorded(_message.Message):
    __slots__ = ("report_id", "case_id", "project_id", "org_id", "year", "status", "decisions", "actor", "recorded_at")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    case_id: str
    project_id: str
    org_id: str
    year: int
    status: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    actor: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, report_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., year: _Optional[int] = ..., status: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EvaluationOverdue(_message.Message):
    __slots__ = ("evaluation_id", "case_id", "project_id", "org_id", "due_on", "decisions")
    EVALUATION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    evaluation_id: str
    case_id: str
    project_id: str
    org_id: str
    due_on: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, evaluation_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., due_on: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class EvaluationRecorded(_message.Message):
    __slots__ = ("evaluation_id", "case_id", "project_id", "org_id", "grade", "summary", "decisions", "recorded_by", "recorded_at")
    EVALUATION_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    evaluation_id: str
    case_id: str
    project_id: str
    org_id: str
    grade: str
    summary: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    recorded_by: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, evaluation_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., grade: _Optional[str] = ..., summary: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., recorded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CaseStateChanged(_message.Message):
    __slots__ = ("case_id", "project_id", "org_id", "status", "previous_status", "reason", "decisions", "actor", "changed_at", "change_id")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANGE_ID_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    project_id: str
    org_id: str
    status: str
    previous_status: str
    reason: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    actor: _common_pb2.Actor
    changed_at: _timestamp_pb2.Timestamp
    change_id: str
    def __init__(self, case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., status: _Optional[str] = ..., previous_status: _Optional[str] = ..., reason: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., change_id: _Optional[str] = ...) -> None: ...

class AcceptanceReportFiled(_message.Message):
    __slots__ = ("filing_id", "case_id", "project_id", "org_id", "acceptance_id", "report_document", "report_sha256", "filed_on", "recipients", "decisions", "filed_by", "filed_at")
    FILING_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    REPORT_SHA256_FIELD_NUMBER: _ClassVar[int]
    FILED_ON_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    FILED_BY_FIELD_NUMBER: _ClassVar[int]
    FILED_AT_FIELD_NUMBER: _ClassVar[int]
    filing_id: str
    case_id: str
    project_id: str
    org_id: str
    acceptance_id: str
    report_document: str
    report_sha256: str
    filed_on: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    filed_by: _common_pb2.Actor
    filed_at: _timestamp_pb2.Timestamp
    def __init__(self, filing_id: _Optional[str] = ..., case_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., acceptance_id: _Optional[str] = ..., report_document: _Optional[str] = ..., report_sha256: _Optional[str] = ..., filed_on: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., filed_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., filed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
