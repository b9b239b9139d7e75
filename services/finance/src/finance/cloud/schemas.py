"""REST shapes of units' funding and cloud bills."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from finance.money import Yuan

NonNegativeYuan = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class UnitFundingWrite(BaseModel):
    """A unit's level and funding guarantee (L9)."""

    model_config = ConfigDict(extra="forbid")

    level: UnitLevel
    funding: UnitFundingType
    local_finance_pays: bool = False


class UnitFundingRead(UnitFundingWrite):
    """A recorded funding type."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    org_id: str
    updated_at: datetime


class BillLineCreate(BaseModel):
    """One unit's service on the provider's bill, as the data bureau verified it."""

    model_config = ConfigDict(extra="forbid")

    org_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    project_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)] | None
    ) = None
    service_mode: ServiceMode
    amount: Yuan
    # The part of the fee caused by low utilisation (L11), per the month's monitoring.
    idle_extra: NonNegativeYuan = Decimal("0.00")
    refused_rightsizing: bool = False


class BillCreate(BaseModel):
    """A provider's monthly bill, verified by the data bureau (L10)."""

    model_config = ConfigDict(extra="forbid")

    provider_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    month: Annotated[str, StringConstraints(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
    lines: Annotated[list[BillLineCreate], Field(min_length=1, max_length=5000)]


class BillLineRead(BaseModel):
    """A line and its split."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    org_id: str
    project_id: str | None
    service_mode: ServiceMode
    amount: Decimal
    idle_extra: Decimal
    refused_rightsizing: bool
    payer: Payer
    payer_amount: Decimal
    unit_amount: Decimal
    deducted: Decimal
    decisions: list[dict[str, Any]]


class BillRead(BaseModel):
    """A settled bill: what the provider is owed and who pays it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    provider_id: str
    month: str
    # 0: the month's bill; 1, 2, ...: a supplementary bill of late broker lines (L10).
    supplement: int = 0
    billed: Decimal
    deducted: Decimal
    payable_to_provider: Decimal
    payables: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    verified_by: str
    verified_at: datetime
    lines: list[BillLineRead] = []


Score = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class ProviderContractWrite(BaseModel):
    """The service contract's standard and the share withheld for a failed quarter (L18)."""

    model_config = ConfigDict(extra="forbid")

    contract_ref: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    pass_mark: Score
    penalty_ratio: Annotated[Decimal, Field(ge=0, le=1, max_digits=5, decimal_places=4)]


class ProviderContractRead(ProviderContractWrite):
    """Recorded terms."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    provider_id: str
    # 1 for the first terms recorded, one more for each rewrite.
    version: int


class AssessmentCreate(BaseModel):
    """A quarter's assessment on the five aspects of SN C art35."""

    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=2000, le=2100)]
    quarter: Annotated[int, Field(ge=1, le=12)]  # the period of the L18 cadence
    response: Score
    satisfaction: Score
    confidentiality: Score
    assurance: Score
    quality: Score


class AssessmentRead(BaseModel):
    """A recorded assessment."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    provider_id: str
    year: int
    quarter: int
    scores: dict[str, Any]
    score: Decimal
    passed: bool
    decisions: list[dict[str, Any]]


class SettlementCreate(BaseModel):
    """Settle a provider's year."""

    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=2000, le=2100)]


class SettlementRead(BaseModel):
    """A provider's annual settlement."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    provider_id: str
    year: int
    payable: Decimal
    penalty: Decimal
    settled: Decimal
    decisions: list[dict[str, Any]]
    # The version of the provider's contract terms applied (null: settled before versions).
    contract_version: int | None = None


class LineAdjustment(BaseModel):
    """The bureau's L11 finding on one unit's service in the month."""

    model_config = ConfigDict(extra="forbid")

    org_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    service_mode: ServiceMode
    idle_extra: NonNegativeYuan = Decimal("0.00")
    refused_rightsizing: bool = False


class BrokerBillVerify(BaseModel):
    """The data bureau verifies the month's bill lines cloud-broker issued for a platform (L10)."""

    model_config = ConfigDict(extra="forbid")

    platform_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    month: Annotated[str, StringConstraints(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")]
    adjustments: list[LineAdjustment] = []


class PendingBrokerLineRead(BaseModel):
    """A bill line cloud-broker issued that no bill settles yet (L10). `late`: its month of its
    platform already has a settled bill (`settled_bills`), so its verification makes a
    supplementary bill."""

    model_config = ConfigDict(from_attributes=True)

    bill_line_id: str
    period: str
    org_id: str
    platform_id: str
    service_mode: str
    amount: Decimal
    received_at: datetime
    late: bool = False
    settled_bills: list[str] = []


class BrokerMonthRead(BaseModel):
    """A platform's month waiting for the bureau (L10): lines pending, or fewer arrived than
    cloud-broker's close announced. `closed`: the close has arrived (the `announced` figures
    are its own); `complete`: whether every announced line has arrived (None without a close:
    unknown, see the verification's L10 flag)."""

    platform_id: str
    month: str
    closed: bool
    bill_lines_announced: int | None = None
    amount_announced: Decimal | None = None
    bill_lines_arrived: int
    amount_arrived: Decimal
    bill_lines_pending: int
    complete: bool | None = None


class PendingBrokerLines(BaseModel):
    """The pending lines, or one page of them (next_cursor: more), and the months waiting."""

    items: list[PendingBrokerLineRead]
    months: list[BrokerMonthRead] = []
    next_cursor: str | None = None
