"""REST shapes of the library and the annual plan."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from intake.library.enums import PlanStatus, PriorityType

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Yuan = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]


class RebaselineRead(BaseModel):
    """A recorded change of a planned value."""

    model_config = ConfigDict(from_attributes=True)

    field: str
    old_value: str
    new_value: str
    reason: str
    changed_by: str
    changed_at: dt.datetime


class LibraryEntryRead(BaseModel):
    """A library project: planned and actual side by side, with every rebaseline."""

    model_config = ConfigDict(from_attributes=True)

    project_id: str
    org_id: str
    entered_at: dt.datetime
    planned_cost: Decimal
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_cost: Decimal | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    cost_variance: Decimal | None = None
    end_slip_days: int | None = None
    rebaselines: list[RebaselineRead] = []
    version: int


class BaselineUpdate(BaseModel):
    """New planned values; changing one already set needs a reason (a rebaseline)."""

    model_config = ConfigDict(extra="forbid")

    planned_cost: Yuan | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    reason: Reason | None = None


class ActualsUpdate(BaseModel):
    """What the project actually cost and when it actually ran."""

    model_config = ConfigDict(extra="forbid")

    actual_cost: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)] | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None


class PlanCreate(BaseModel):
    """A new annual plan."""

    model_config = ConfigDict(extra="forbid")

    year: Year


class PlanItemCreate(BaseModel):
    """A library project put on the plan."""

    model_config = ConfigDict(extra="forbid")

    project_id: Annotated[str, StringConstraints(max_length=36)]
    priority_type: PriorityType | None = None
    reason: Reason
    emergency: bool = False
    document_reference: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None
    ) = None


class PlanItemRead(BaseModel):
    """A project on a plan."""

    model_config = ConfigDict(from_attributes=True)

    project_id: str
    org_id: str
    priority_type: PriorityType | None
    reason: str
    emergency: bool
    document_reference: str | None
    added_by: str
    added_at: dt.datetime
    # The J1 decision when the adoption left the item out (its unit's investment plan deferred).
    left_out: dict | None = None


class PlanRead(BaseModel):
    """An annual plan and the items the caller may see."""

    model_config = ConfigDict(from_attributes=True)

    year: int
    status: PlanStatus
    created_at: dt.datetime
    adopted_by: str | None
    adopted_at: dt.datetime | None
    items: list[PlanItemRead] = []


class PlanWithItemsRead(PlanRead):
    """A plan and its items the caller may see, or one page of them (next_cursor: more)."""

    next_cursor: str | None = None


class FundingEligibility(BaseModel):
    """Whether a project may move to funding in a fiscal year, and the decisions why (B2)."""

    project_id: str
    fiscal_year: int
    allowed: bool
    decisions: list[dict]


class RollingYear(BaseModel):
    """One year of the rolling plan (B5)."""

    year: int
    status: PlanStatus | None
    projects: int
    planned_cost: Decimal
