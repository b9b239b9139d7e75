"""REST shapes of resource requests, change requests, units and quotas."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from cloud_broker.requests.enums import Funding, RequestStatus, ServiceMode, UnitLevel
from govit_kit.values import UtcDatetime

Reason = Annotated[str, StringConstraints(max_length=2000)]
Materials = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")],
        Annotated[str, StringConstraints(max_length=500)],
    ],
    Field(max_length=50),
]
OrgId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]


class ResourceItem(BaseModel):
    """One line of a request: a catalog SKU and how many."""

    model_config = ConfigDict(extra="forbid")

    sku: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    quantity: Annotated[int, Field(ge=1, le=100_000)]


class ResourceRequestCreate(BaseModel):
    """A unit's request; owner and status are not the client's to set."""

    model_config = ConfigDict(extra="forbid")

    # L2: a new system names its approved project (SN C art12, 立项批文); a migrated or
    # existing system (new_system false) may name a project of the unit or none.
    project_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)] | None
    ) = None
    service_mode: ServiceMode
    items: Annotated[list[ResourceItem], Field(min_length=1, max_length=100)]
    # L2: material name -> document reference (see GET /v1/resource-requests/materials).
    materials: Materials = {}
    # L5: a migrated (not new) system states its past usage in materials.past_usage.
    new_system: bool = True
    # L12 (SN C art12): an existing system's migration is ordinary or important; checked by
    # the flow, so a missing or unknown value is refused citing the rule.
    migration_impact: Annotated[str, StringConstraints(max_length=32)] | None = None
    # Keep it as a draft (materials may be incomplete) instead of submitting it at once.
    draft: bool = False


ProviderResourceId = Annotated[str, StringConstraints(pattern=r"^\S+$", max_length=128)]


class ExistingResourceCreate(BaseModel):
    """The bureau takes on its books a resource already running on a provider's platform
    (存量资源登记, L10; SN C art5 moves existing systems onto the cloud)."""

    model_config = ConfigDict(extra="forbid")

    org_id: OrgId
    project_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)
    ]
    service_mode: ServiceMode
    items: Annotated[list[ResourceItem], Field(min_length=1, max_length=100)]
    platform_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    # The provider's identifiers of what runs (instance ids ...), each on the books once.
    resource_ids: Annotated[list[ProviderResourceId], Field(min_length=1, max_length=100)]
    # Since when it has run: L11 counts its stable months from this day (Asia/Shanghai).
    in_use_since: date
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

    @field_validator("resource_ids")
    @classmethod
    def _unique(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("each id appears once")
        return ids

    @field_validator("in_use_since")
    @classmethod
    def _this_century(cls, day: date) -> date:
        if day.year < 2000:  # no government cloud ran before; and year 1 has no UTC instant
            raise ValueError("is before 2000")
        return day


class MigrationNoticeRead(BaseModel):
    """L12: an ordinary migration's advance notice as recorded."""

    given_at: datetime
    given_by: str
    planned_start: datetime
    affected_org_ids: list[str]


class ResourceRequestRead(BaseModel):
    """A resource request as its unit and the cloud administrators see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str | None
    org_id: str
    service_mode: ServiceMode
    items: list[ResourceItem]
    status: RequestStatus
    decisions: list[dict[str, Any]]
    materials: dict[str, str]
    new_system: bool
    plan_approved_by: str | None
    migration_impact: str | None = None
    migration_plan_status: str | None = None
    migration_plan_decided_by: str | None = None
    migration_plan_reason: str | None = None
    migration_notice: MigrationNoticeRead | None = None
    platform_id: str | None
    resource_ids: list[str]
    active_operation: str | None
    activated_at: datetime | None
    stopped_use_on: date | None
    frozen_by: dict[str, str] | None = None
    submitted_by: str
    submitted_at: datetime
    version: int


class MigrationPlanCreate(BaseModel):
    """L12: an important migration's plan (迁移实施方案), a document reference like any material."""

    model_config = ConfigDict(extra="forbid")

    document: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class MigrationPlanDecision(BaseModel):
    """The bureau's decision on a migration plan (a refusal gives its reason)."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Reason = ""


class MigrationNoticeCreate(BaseModel):
    """L12: an ordinary migration's advance notice to the bureau and the affected units (their
    org ids; none when it reaches no other unit), before the migration's planned start."""

    model_config = ConfigDict(extra="forbid")

    affected_org_ids: Annotated[list[OrgId], Field(max_length=200)]
    planned_start: UtcDatetime

    @field_validator("affected_org_ids")
    @classmethod
    def _unique(cls, ids: list[str]) -> list[str]:
        if len(set(ids)) != len(ids):
            raise ValueError("each unit appears once")
        return ids


class MigrationNoticeRead(BaseModel):
    """L12: a migration notice as an affected unit receives it: which unit migrates, when."""

    model_config = ConfigDict(from_attributes=True)

    request_id: str
    from_org_id: str
    to_org_id: str
    planned_start: datetime
    given_at: datetime


class StepBody(BaseModel):
    """A step's reason (required to reject)."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason = ""


class AllocationCreate(BaseModel):
    """Which provider platform gets the work."""

    model_config = ConfigDict(extra="forbid")

    platform_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]


class ExitCreate(BaseModel):
    """L7: the unit stopped using the resource on a day and applies to exit."""

    model_config = ConfigDict(extra="forbid")

    stopped_use_on: date
    reason: Reason = ""


class TransitionRead(BaseModel):
    """One step in a request's history."""

    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str
    to_status: str
    actor: str
    actor_org: str
    reason: str
    decisions: list[dict[str, Any]]
    at: datetime


class ChangeRequestCreate(BaseModel):
    """L6: the resource's new items; a major change resubmits the L2 materials."""

    model_config = ConfigDict(extra="forbid")

    items: Annotated[list[ResourceItem], Field(min_length=1, max_length=100)]
    major: bool = False
    materials: Materials = {}
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    # L11: the high-utilisation finding an expansion refers to.
    finding_id: Annotated[str | None, StringConstraints(max_length=36)] = None


class ChangeRequestRead(BaseModel):
    """A change request."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    request_id: str
    org_id: str
    items: list[ResourceItem]
    major: bool
    reason: str
    finding_id: str | None
    status: str
    decided_by: str | None
    decision_reason: str
    submitted_at: datetime
    version: int


class ChangeDecision(BaseModel):
    """The bureau's decision on a change."""

    model_config = ConfigDict(extra="forbid")

    approve: bool
    reason: Reason = ""


class CloudUnitWrite(BaseModel):
    """A unit's cloud account (level, county authority, jurisdiction, funding)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    level: UnitLevel = UnitLevel.CITY
    county_authority_org: OrgId | None = None
    jurisdiction: OrgId = "city"
    funding: Funding = Funding.FULL


class CloudUnitRead(BaseModel):
    """A unit's cloud account."""

    model_config = ConfigDict(from_attributes=True)

    org_id: str
    name: str
    level: UnitLevel
    county_authority_org: str | None
    jurisdiction: str
    funding: Funding
    version: int


class QuotaWrite(BaseModel):
    """A limit on a SKU for a unit or a jurisdiction."""

    model_config = ConfigDict(extra="forbid")

    scope: Annotated[str, StringConstraints(pattern=r"^(unit|jurisdiction)$")]
    scope_id: OrgId
    sku: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    limit_quantity: Annotated[int, Field(ge=0, le=10_000_000)]


class QuotaRead(QuotaWrite):
    """A quota."""

    model_config = ConfigDict(from_attributes=True)

    id: str


class MarkCreate(BaseModel):
    """L11: the bureau ruled that the unit refused right-sizing without good reason. The mark
    is for the year under way in China (本年度, SN C art14); `year`, if given, must be it."""

    model_config = ConfigDict(extra="forbid")

    year: Annotated[int | None, Field(ge=2000, le=2100)] = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    finding_id: Annotated[str | None, StringConstraints(max_length=36)] = None
