"""REST shapes of framework plans."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
OrgId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")]


class FrameworkPlanCreate(BaseModel):
    """What the lead unit submits (YY art13; SN P art8)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    participant_org_ids: Annotated[list[OrgId], Field(min_length=1, max_length=100)]
    goals: Text
    data_flows: Text
    interfaces: Text


class FrameworkOpinion(BaseModel):
    """The data bureau's review opinion, which each participant's application relies on."""

    model_config = ConfigDict(extra="forbid")

    opinion: Text


class FrameworkPlanRead(FrameworkPlanCreate):
    """A framework plan."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    lead_org_id: str
    status: str
    bureau_opinion: str | None
    approved_by: str | None
    approved_at: dt.datetime | None
    created_at: dt.datetime
