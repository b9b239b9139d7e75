"""REST shapes of change requests."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from review.changes.enums import AdjustmentReason, ChangeKind, ChangeRoute, ChangeStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class ChangeCreate(BaseModel):
    """A change to an approved project. An adjustment states the amount moved between items
    (资金调整数额), the new total and one reason."""

    model_config = ConfigDict(extra="forbid")

    kind: ChangeKind
    description: Text
    reason: AdjustmentReason | None = None
    amount_adjusted: Amount | None = None
    new_total: Amount | None = None


class DispositionCreate(BaseModel):
    """The bureau's disposal opinion (F2) or the approver's decision."""

    model_config = ConfigDict(extra="forbid")

    agree: bool
    opinion: Text


class ChangeRead(BaseModel):
    """A change request and where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    kind: ChangeKind
    reason_code: AdjustmentReason | None
    description: str
    approved_total: Decimal
    new_total: Decimal | None
    amount_adjusted: Decimal | None
    route: ChangeRoute
    status: ChangeStatus
    decisions: list[dict[str, Any]]
    bureau_opinion: str | None
    approver_note: str | None
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None
    version: int
