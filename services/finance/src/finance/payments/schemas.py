"""REST shapes of payments and the facts the gates read."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from finance.funding.enums import FundingKind
from finance.money import Yuan
from finance.payments.enums import FindingStatus, PaymentStatus

Id = Annotated[str, StringConstraints(min_length=1, max_length=36)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# The last fiscal year finance records (funding lines, plan listings): a deadline after it can
# never count against a year's funds (I4).
LAST_FISCAL_YEAR = 2100
FiscalYear = Annotated[int, Field(ge=2000, le=LAST_FISCAL_YEAR)]


class PaymentCreate(BaseModel):
    """A payment request against a contract and a funding line."""

    model_config = ConfigDict(extra="forbid")

    contract_id: Id
    funding_line_id: Id
    amount: Yuan
    purpose: FundingKind


class PaymentRead(BaseModel):
    """A payment and the decision of every gate."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    contract_id: str
    funding_line_id: str
    amount: Decimal
    purpose: FundingKind
    status: PaymentStatus
    decisions: list[dict[str, Any]]
    # A refusal on release that no rule makes: [{field, message}] (the balance where no I5
    # applies, a termination with no article, a closed line).
    errors: list[dict[str, Any]] = []
    treasury_reference: str | None
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None


class PlanListingCreate(BaseModel):
    """A project listed in a year's annual plan (I2), from the plan document."""

    model_config = ConfigDict(extra="forbid")

    project_id: Id
    fiscal_year: FiscalYear
    document: Text


class PlanListingRead(PlanListingCreate):
    """A recorded plan listing."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: str


class SystemStatusWrite(BaseModel):
    """A project's system after acceptance (I3), from the acceptance and assessment reports."""

    model_config = ConfigDict(extra="forbid")

    accepted: bool
    security_compliant: bool
    shares_data: bool
    in_catalog: bool


class SystemStatusRead(SystemStatusWrite):
    """A recorded system status; `shares_data` and `in_catalog` are null while no one recorded
    them (the status was made from review's acceptance)."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    shares_data: bool | None
    in_catalog: bool | None
    project_id: str
    updated_at: datetime
    # Who recorded the acceptance last (an officer, or service:review) and when it was made
    # (review's recorded_at, or the officer's write): the newer record wins.
    recorded_by: str
    acceptance_at: datetime | None = None


class DuplicateCollectionWrite(BaseModel):
    """The data bureau's finding whether a project's system collects data twice (I3, YY art28);
    false clears an earlier finding."""

    model_config = ConfigDict(extra="forbid")

    collects_twice: bool
    document: Text  # the bureau's finding (or the re-check that clears it)


class DuplicateCollectionRead(DuplicateCollectionWrite):
    """A recorded finding."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    project_id: str
    recorded_by: str
    updated_at: datetime


class UnitIntegrationWrite(BaseModel):
    """The data bureau's finding whether a unit failed to integrate its systems as required (I3,
    YY art30); false clears an earlier finding."""

    model_config = ConfigDict(extra="forbid")

    failed_to_integrate: bool
    document: Text  # the bureau's finding (or the re-check that clears it)


class UnitIntegrationRead(UnitIntegrationWrite):
    """A recorded finding."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")

    org_id: str
    recorded_by: str
    updated_at: datetime


class RectificationCreate(BaseModel):
    """A rectification order on a project (I4)."""

    model_config = ConfigDict(extra="forbid")

    project_id: Id
    document: Text
    ordered_on: date
    # The day the unit must have rectified by (I4: past it and still open, the unit has failed
    # to rectify and loses next year's funds); none: see docs/finance.md.
    due_on: date | None = None

    @field_validator("due_on")
    @classmethod
    def _within_the_fiscal_years(cls, day: date | None) -> date | None:
        # I4 counts a missed deadline against a later fiscal year's funds; past the last one
        # finance records it counts against nothing (and its day's end has no instant at 9999).
        if day is not None and day.year > LAST_FISCAL_YEAR:
            raise ValueError(
                f"is after {LAST_FISCAL_YEAR}, the last fiscal year finance records (I4 counts "
                "a missed deadline against the next year's funds)"
            )
        return day


class RectificationRead(BaseModel):
    """A rectification order; open until closed_at."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    document: str
    ordered_on: date
    due_at: datetime | None
    closed_at: datetime | None
    holds_payments: bool = True
    security: bool = False


class AuditFindingRead(BaseModel):
    """Audit's finding as finance received it (its notice to finance, e.g. L7's late exits); an
    open one on a project holds the project's payments (I4). `article` is the active profile's
    article for the rule."""

    model_config = ConfigDict(from_attributes=True)

    finding_id: str
    project_id: str
    org_id: str
    rule_id: str
    article: str | None = None
    summary: str
    status: FindingStatus
    raised_at: datetime | None
    resolved_at: datetime | None
