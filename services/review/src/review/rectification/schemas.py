"""REST shapes of rectification orders."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from review.rectification.enums import Finding, OrderStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class OrderCreate(BaseModel):
    """A rectification order on a case's project, due in working days."""

    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    finding: Finding
    description: Text
    due_working_days: int = Field(ge=1, le=250)


class ResolutionCreate(BaseModel):
    """The bureau accepts the rectification."""

    model_config = ConfigDict(extra="forbid")

    note: Text


class OrderRead(BaseModel):
    """An order, its deadline and the ladder steps taken."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    finding: Finding
    description: str
    security: bool
    due_working_days: int
    due_at: datetime
    # Counted on a provisional calendar (which years), or null; counted again once published.
    calendar: str | None = None
    status: OrderStatus
    level: int
    escalations: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    issued_by: str
    issued_at: datetime
    resolution_note: str | None
    resolved_at: datetime | None


class UnitStanding(BaseModel):
    """Whether a unit may start new projects (J3)."""

    org_id: str
    open_security_orders: int
    blocked: bool
    decisions: list[dict[str, Any]]
