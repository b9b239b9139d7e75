"""REST shapes of funding lines and the ledger."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from finance.funding.enums import EntryKind, FundingKind, FundingSource, LineStatus
from finance.money import SignedYuan, Yuan

Memo = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class FundingLineCreate(BaseModel):
    """Finance opens a funding line of a known project."""

    model_config = ConfigDict(extra="forbid")

    project_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    fiscal_year: Annotated[int, Field(ge=2000, le=2100)]
    kind: FundingKind
    source: FundingSource
    amount: Yuan
    approved_estimate: Yuan | None = None
    # H2: O&M funds for a project whose last evaluation failed need the officer's written reason.
    evaluation_override_reason: Memo | None = None


class FundingLineRead(BaseModel):
    """A funding line."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    fiscal_year: int
    kind: FundingKind
    source: FundingSource
    amount: Decimal
    approved_estimate: Decimal | None
    status: LineStatus
    decisions: list[dict[str, Any]]
    opened_at: datetime
    closed_at: datetime | None


class EntryCreate(BaseModel):
    """An adjustment of a line: positive adds money, negative cuts it."""

    model_config = ConfigDict(extra="forbid")

    amount: SignedYuan = Field(description="yuan with fen; not zero")
    memo: Memo = ""

    @field_validator("amount")
    @classmethod
    def _not_zero(cls, amount: Decimal) -> Decimal:
        if amount == 0:
            raise ValueError("amount must not be zero")
        return amount


class ReversalCreate(BaseModel):
    """Why an entry is reversed."""

    model_config = ConfigDict(extra="forbid")

    memo: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LedgerEntryRead(BaseModel):
    """One booking."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    funding_line_id: str
    project_id: str
    org_id: str
    kind: EntryKind
    amount: Decimal
    reverses_entry_id: str | None
    memo: str
    booked_by: str
    booked_at: datetime


class BalanceRead(BaseModel):
    """A line's balance at a moment, with its parts by entry kind."""

    funding_line_id: str
    at: datetime
    allocation: Decimal
    adjustment: Decimal
    payment: Decimal
    surplus_return: Decimal
    balance: Decimal
