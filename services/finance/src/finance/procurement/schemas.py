"""REST shapes of contractors, procurements, adjustments and contracts."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from finance.money import Yuan
from finance.procurement.enums import ProcurementCategory, ProcurementMethod
from govit_kit.credit_code import CreditCode

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A written reason (an exemption's): longer than a name or a document number.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
Months = Annotated[int, Field(ge=0, le=1200)]


class ContractorCreate(BaseModel):
    """A contractor and its qualifications (资质)."""

    model_config = ConfigDict(extra="forbid")

    name: Text
    credit_code: CreditCode  # GB 32100-2015 with its check character, as intake checks it
    qualifications: list[Text] = []


class ContractorRead(BaseModel):
    """A contractor, with the end of its current ban if any."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    credit_code: str
    qualifications: list[str]
    banned_until: date | None = None


class BlacklistingCreate(BaseModel):
    """A ban; its end follows the profile (E2), or is given where the profile sets no length."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    banned_from: date
    banned_until: date | None = None


class BlacklistingRead(BaseModel):
    """A recorded ban."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    contractor_id: str
    reason: str
    banned_from: date
    banned_until: date
    decisions: list[dict[str, Any]]


class ProcurementCreate(BaseModel):
    """A procurement of a project and its award."""

    model_config = ConfigDict(extra="forbid")

    project_id: Id
    title: Text
    method: ProcurementMethod
    amount: Yuan
    contractor_id: Id
    awarded_on: date
    # What it buys; cloud_services is refused where L10 applies (the data bureau buys the
    # government cloud). Optional for clients that predate it: unspecified.
    category: ProcurementCategory = ProcurementCategory.UNSPECIFIED


class ProcurementRead(BaseModel):
    """A recorded procurement."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    title: str
    method: ProcurementMethod
    category: ProcurementCategory
    amount: Decimal
    contractor_id: str
    awarded_on: date
    decisions: list[dict[str, Any]]
    recorded_at: datetime


class AdjustmentCreate(BaseModel):
    """An approved adjustment of a project (调整批复), recorded by finance from its document."""

    model_config = ConfigDict(extra="forbid")

    project_id: Id
    document: Text
    amount: Yuan
    approved_on: date


class AdjustmentRead(BaseModel):
    """A recorded adjustment."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    document: str
    amount: Decimal
    approved_on: date


class ContractCreate(BaseModel):
    """A contract signed on a procurement's award."""

    model_config = ConfigDict(extra="forbid")

    procurement_id: Id
    amount: Yuan
    signed_on: date
    warranty_months: Months
    free_om_months: Months
    copyright_to_government: bool
    data_assets_to_government: bool
    supervisor: Text | None = None
    # E7 (major projects): the unit's principal leader heads the project; the working group has
    # the bureau's expert.
    principal_leader_heads: bool = False
    bureau_expert_in_working_group: bool = False


class SupplementCreate(BaseModel):
    """A supplementary contract (补充合同) on an approved adjustment (E3)."""

    model_config = ConfigDict(extra="forbid")

    adjustment_id: Id
    amount: Yuan
    signed_on: date


class ContractRead(BaseModel):
    """A contract or supplementary contract."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    procurement_id: str
    contractor_id: str
    parent_contract_id: str | None
    adjustment_id: str | None
    amount: Decimal
    signed_on: date
    warranty_months: int
    free_om_months: int
    copyright_to_government: bool
    data_assets_to_government: bool
    supervisor: str | None
    decisions: list[dict[str, Any]]
    recorded_at: datetime


class SupervisionExemptionCreate(BaseModel):
    """The data bureau exempts a project from supervision in writing (E6, where the profile's
    article asks for supervision only in principle: SN P art29 原则上)."""

    model_config = ConfigDict(extra="forbid")

    project_id: Id
    reason: Reason = Field(description="The bureau's written reason for the exemption.")
    document: Text = Field(description="The bureau's document (文号) that grants it.")


class SupervisionExemptionRead(BaseModel):
    """A recorded exemption: its reason and document, who recorded it and when."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    reason: str
    document: str
    decisions: list[dict[str, Any]]
    recorded_by: str
    recorded_at: datetime
