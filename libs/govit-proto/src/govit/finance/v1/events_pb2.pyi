import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from govit.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class LedgerEntryRecorded(_message.Message):
    __slots__ = ("entry_id", "funding_line_id", "project_id", "org_id", "entry_kind", "amount", "reverses_entry_id", "memo", "booked_at")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    FUNDING_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ENTRY_KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REVERSES_ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    MEMO_FIELD_NUMBER: _ClassVar[int]
    BOOKED_AT_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    funding_line_id: str
    project_id: str
    org_id: str
    entry_kind: str
    amount: _common_pb2.Money
    reverses_entry_id: str
    memo: str
    booked_at: _timestamp_pb2.Timestamp
    def __init__(self, entry_id: _Optional[str] = ..., funding_line_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., entry_kind: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reverses_entry_id: _Optional[str] = ..., memo: _Optional[str] = ..., booked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FundingLineClosed(_message.Message):
    __slots__ = ("funding_line_id", "project_id", "org_id", "surplus_returned", "decisions", "closed_at")
    FUNDING_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    SURPLUS_RETURNED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    funding_line_id: str
    project_id: str
    org_id: str
    surplus_returned: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    closed_at: _timestamp_pb2.Timestamp
    def __init__(self, funding_line_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., surplus_returned: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ContractorRegistered(_message.Message):
    __slots__ = ("contractor_id", "name", "credit_code", "qualifications")
    CONTRACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREDIT_CODE_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    contractor_id: str
    name: str
    credit_code: str
    qualifications: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, contractor_id: _Optional[str] = ..., name: _Optional[str] = ..., credit_code: _Optional[str] = ..., qualifications: _Optional[_Iterable[str]] = ...) -> None: ...

class ContractorBlacklisted(_message.Message):
    __slots__ = ("contractor_id", "reason", "banned_from", "banned_until", "decisions")
    CONTRACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    BANNED_FROM_FIELD_NUMBER: _ClassVar[int]
    BANNED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    contractor_id: str
    reason: str
    banned_from: str
    banned_until: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, contractor_id: _Optional[str] = ..., reason: _Optional[str] = ..., banned_from: _Optional[str] = ..., banned_until: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class ProcurementRecorded(_message.Message):
    __slots__ = ("procurement_id", "project_id", "org_id", "method", "amount", "contractor_id", "awarded_on", "decisions", "category")
    PROCUREMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CONTRACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    AWARDED_ON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    procurement_id: str
    project_id: str
    org_id: str
    method: str
    amount: _common_pb2.Money
    contractor_id: str
    awarded_on: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    category: str
    def __init__(self, procurement_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., method: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., contractor_id: _Optional[str] = ..., awarded_on: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., category: _Optional[str] = ...) -> None: ...

class ContractSigned(_message.Message):
    __slots__ = ("contract_id", "project_id", "org_id", "procurement_id", "contractor_id", "amount", "parent_contract_id", "adjustment_id", "signed_on", "decisions")
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    PROCUREMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PARENT_CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    ADJUSTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNED_ON_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    contract_id: str
    project_id: str
    org_id: str
    procurement_id: str
    contractor_id: str
    amount: _common_pb2.Money
    parent_contract_id: str
    adjustment_id: str
    signed_on: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, contract_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., procurement_id: _Optional[str] = ..., contractor_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., parent_contract_id: _Optional[str] = ..., adjustment_id: _Optional[str] = ..., signed_on: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class SupervisionExemptionRecorded(_message.Message):
    __slots__ = ("exemption_id", "project_id", "org_id", "reason", "document", "decisions", "recorded_by", "recorded_at")
    EXEMPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    exemption_id: str
    project_id: str
    org_id: str
    reason: str
    document: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    recorded_by: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, exemption_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., reason: _Optional[str] = ..., document: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., recorded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AdjustmentRecorded(_message.Message):
    __slots__ = ("adjustment_id", "project_id", "org_id", "document", "amount", "approved_on")
    ADJUSTMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    APPROVED_ON_FIELD_NUMBER: _ClassVar[int]
    adjustment_id: str
    project_id: str
    org_id: str
    document: str
    amount: _common_pb2.Money
    approved_on: str
    def __init__(self, adjustment_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., document: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., approved_on: _Optional[str] = ...) -> None: ...

class PaymentApproved(_message.Message):
    __slots__ = ("payment_id", "project_id", "org_id", "contract_id", "funding_line_id", "amount", "purpose", "treasury_reference", "decisions", "approved_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    FUNDING_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    TREASURY_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    project_id: str
    org_id: str
    contract_id: str
    funding_line_id: str
    amount: _common_pb2.Money
    purpose: str
    treasury_reference: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    approved_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., funding_line_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., purpose: _Optional[str] = ..., treasury_reference: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PaymentHeld(_message.Message):
    __slots__ = ("payment_id", "project_id", "org_id", "contract_id", "funding_line_id", "amount", "decisions", "held_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_ID_FIELD_NUMBER: _ClassVar[int]
    FUNDING_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    project_id: str
    org_id: str
    contract_id: str
    funding_line_id: str
    amount: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    held_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., contract_id: _Optional[str] = ..., funding_line_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PaymentReleased(_message.Message):
    __slots__ = ("payment_id", "project_id", "org_id", "status", "decisions", "released_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    RELEASED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    project_id: str
    org_id: str
    status: str
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    released_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., status: _Optional[str] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., released_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CloudPayable(_message.Message):
    __slots__ = ("payer", "org_id", "amount")
    PAYER_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    payer: str
    org_id: str
    amount: _common_pb2.Money
    def __init__(self, payer: _Optional[str] = ..., org_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class CloudBillSettled(_message.Message):
    __slots__ = ("bill_id", "provider_id", "month", "billed", "deducted", "payable_to_provider", "payables", "decisions", "supplement")
    BILL_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    BILLED_FIELD_NUMBER: _ClassVar[int]
    DEDUCTED_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_TO_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PAYABLES_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    SUPPLEMENT_FIELD_NUMBER: _ClassVar[int]
    bill_id: str
    provider_id: str
    month: str
    billed: _common_pb2.Money
    deducted: _common_pb2.Money
    payable_to_provider: _common_pb2.Money
    payables: _containers.RepeatedCompositeFieldContainer[CloudPayable]
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    supplement: int
    def __init__(self, bill_id: _Optional[str] = ..., provider_id: _Optional[str] = ..., month: _Optional[str] = ..., billed: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., deducted: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., payable_to_provider: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., payables: _Optional[_Iterable[_Union[CloudPayable, _Mapping]]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., supplement: _Optional[int] = ...) -> None: ...

class PlanListingRecorded(_message.Message):
    __slots__ = ("listing_id", "project_id", "org_id", "fiscal_year", "document")
    LISTING_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FISCAL_YEAR_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    listing_id: str
    project_id: str
    org_id: str
    fiscal_year: int
    document: str
    def __init__(self, listing_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., fiscal_year: _Optional[int] = ..., document: _Optional[str] = ...) -> None: ...

class SystemStatusRecorded(_message.Message):
    __slots__ = ("project_id", "org_id", "accepted", "security_compliant", "shares_data", "in_catalog")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    SECURITY_COMPLIANT_FIELD_NUMBER: _ClassVar[int]
    SHARES_DATA_FIELD_NUMBER: _ClassVar[int]
    IN_CATALOG_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    accepted: bool
    security_compliant: bool
    shares_data: bool
    in_catalog: bool
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., accepted: _Optional[bool] = ..., security_compliant: _Optional[bool] = ..., shares_data: _Optional[bool] = ..., in_catalog: _Optional[bool] = ...) -> None: ...

class DuplicateCollectionRecorded(_message.Message):
    __slots__ = ("project_id", "org_id", "collects_twice", "document")
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTS_TWICE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    project_id: str
    org_id: str
    collects_twice: bool
    document: str
    def __init__(self, project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., collects_twice: _Optional[bool] = ..., document: _Optional[str] = ...) -> None: ...

class UnitIntegrationRecorded(_message.Message):
    __slots__ = ("org_id", "failed_to_integrate", "document")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    FAILED_TO_INTEGRATE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    failed_to_integrate: bool
    document: str
    def __init__(self, org_id: _Optional[str] = ..., failed_to_integrate: _Optional[bool] = ..., document: _Optional[str] = ...) -> None: ...

class RectificationOrdered(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "document", "ordered_on", "due_on")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    ORDERED_ON_FIELD_NUMBER: _ClassVar[int]
    DUE_ON_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    document: str
    ordered_on: str
    due_on: str
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., document: _Optional[str] = ..., ordered_on: _Optional[str] = ..., due_on: _Optional[str] = ...) -> None: ...

class RectificationClosed(_message.Message):
    __slots__ = ("order_id", "project_id", "org_id", "closed_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    project_id: str
    org_id: str
    closed_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UnitFundingRecorded(_message.Message):
    __slots__ = ("org_id", "level", "funding", "local_finance_pays")
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    FUNDING_FIELD_NUMBER: _ClassVar[int]
    LOCAL_FINANCE_PAYS_FIELD_NUMBER: _ClassVar[int]
    org_id: str
    level: str
    funding: str
    local_finance_pays: bool
    def __init__(self, org_id: _Optional[str] = ..., level: _Optional[str] = ..., funding: _Optional[str] = ..., local_finance_pays: _Optional[bool] = ...) -> None: ...

class ProviderContractRecorded(_message.Message):
    __slots__ = ("provider_id", "contract_ref", "pass_mark", "penalty_ratio", "version", "recorded_by", "recorded_at")
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_REF_FIELD_NUMBER: _ClassVar[int]
    PASS_MARK_FIELD_NUMBER: _ClassVar[int]
    PENALTY_RATIO_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    RECORDED_BY_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    provider_id: str
    contract_ref: str
    pass_mark: str
    penalty_ratio: str
    version: int
    recorded_by: _common_pb2.Actor
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, provider_id: _Optional[str] = ..., contract_ref: _Optional[str] = ..., pass_mark: _Optional[str] = ..., penalty_ratio: _Optional[str] = ..., version: _Optional[int] = ..., recorded_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProviderAssessed(_message.Message):
    __slots__ = ("assessment_id", "provider_id", "year", "quarter", "score", "passed", "decisions")
    ASSESSMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    assessment_id: str
    provider_id: str
    year: int
    quarter: int
    score: str
    passed: bool
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    def __init__(self, assessment_id: _Optional[str] = ..., provider_id: _Optional[str] = ..., year: _Optional[int] = ..., quarter: _Optional[int] = ..., score: _Optional[str] = ..., passed: _Optional[bool] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ...) -> None: ...

class CloudSettlementRecorded(_message.Message):
    __slots__ = ("settlement_id", "provider_id", "year", "payable", "penalty", "settled", "decisions", "contract_version")
    SETTLEMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    PAYABLE_FIELD_NUMBER: _ClassVar[int]
    PENALTY_FIELD_NUMBER: _ClassVar[int]
    SETTLED_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_VERSION_FIELD_NUMBER: _ClassVar[int]
    settlement_id: str
    provider_id: str
    year: int
    payable: _common_pb2.Money
    penalty: _common_pb2.Money
    settled: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    contract_version: int
    def __init__(self, settlement_id: _Optional[str] = ..., provider_id: _Optional[str] = ..., year: _Optional[int] = ..., payable: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., penalty: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., settled: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., contract_version: _Optional[int] = ...) -> None: ...

class AssetEntry(_message.Message):
    __slots__ = ("name", "asset_class", "amount")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSET_CLASS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    asset_class: str
    amount: _common_pb2.Money
    def __init__(self, name: _Optional[str] = ..., asset_class: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class AssetsRegistered(_message.Message):
    __slots__ = ("registration_id", "project_id", "org_id", "registered_on", "document", "entries", "total", "decisions", "registered_by", "registered_at")
    REGISTRATION_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    ORG_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_ON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_BY_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    registration_id: str
    project_id: str
    org_id: str
    registered_on: str
    document: str
    entries: _containers.RepeatedCompositeFieldContainer[AssetEntry]
    total: _common_pb2.Money
    decisions: _containers.RepeatedCompositeFieldContainer[_common_pb2.Decision]
    registered_by: _common_pb2.Actor
    registered_at: _timestamp_pb2.Timestamp
    def __init__(self, registration_id: _Optional[str] = ..., project_id: _Optional[str] = ..., org_id: _Optional[str] = ..., registered_on: _Optional[str] = ..., document: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[AssetEntry, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[_common_pb2.Decision, _Mapping]]] = ..., registered_by: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
