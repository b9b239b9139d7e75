"""REST shapes of the system registry."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from intake.systems.enums import DecommissionGrounds, FreezeGrounds, MergeGrounds, SystemStatus

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Plan = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
OrgId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class SystemCreate(BaseModel):
    """A system to register."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    owner_org_id: OrgId
    project_id: Annotated[str, StringConstraints(max_length=36)] | None = None
    cloud_resource_ids: Annotated[list[Ref], Field(max_length=500)] = []
    data_resources: Annotated[list[Name], Field(max_length=500)] = []
    last_used_on: dt.date | None = None


class SystemRead(SystemCreate):
    """A registered system."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    status: SystemStatus
    merged_into_id: str | None
    created_at: dt.datetime
    version: int


class Decommission(BaseModel):
    """K1: grounds of SN P art44 and the plan."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["decommission"]
    grounds: DecommissionGrounds
    plan: Plan


class Merge(BaseModel):
    """K2: this system is merged into another; the original is decommissioned."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["merge"]
    grounds: MergeGrounds
    plan: Plan
    into_system_id: Annotated[str, StringConstraints(max_length=36)]


class Promote(BaseModel):
    """K3: promoted to an upper-level owner with the handover lists in the plan."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["promote"]
    plan: Plan
    new_owner_org_id: OrgId


class Transfer(BaseModel):
    """K4: a new owner unit; the plan covers resources, security duties and O&M."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["transfer"]
    plan: Plan
    new_owner_org_id: OrgId


class Freeze(BaseModel):
    """K5: grounds of SN P art48; seasonal systems state how long they stand idle each year."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["freeze"]
    grounds: FreezeGrounds
    plan: Plan
    idle_months_per_year: Annotated[int, Field(ge=0, le=12)] | None = None


class Unfreeze(BaseModel):
    """K5: a frozen system restarts."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["unfreeze"]
    plan: Plan


LifecycleRequest = Annotated[
    Decommission | Merge | Promote | Transfer | Freeze | Unfreeze, Field(discriminator="action")
]


class ActionRead(BaseModel):
    """A recorded lifecycle action."""

    model_config = ConfigDict(from_attributes=True)

    action: str
    rule_id: str
    article: str
    grounds: str
    plan: str
    details: dict
    actor: str
    at: dt.datetime
