"""REST shapes of the provider API."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cloud_broker.utilisation.schemas import Period
from govit_kit.values import UtcDatetime

ResourceId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WorkOrderRead(BaseModel):
    """A work order as its provider sees it: only what the work needs (L16)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    request_id: str
    platform_id: str
    kind: str
    status: str
    spec: dict
    lease_expires_at: datetime | None
    progress_percent: int
    progress_note: str
    resource_ids: list[str]
    wipe_attestation: dict | None
    failure_reason: str
    created_at: datetime
    version: int


class LeaseBody(BaseModel):
    """How long the lease should last (the broker's default when omitted)."""

    model_config = ConfigDict(extra="forbid")

    lease_seconds: Annotated[int | None, Field(ge=1)] = None


class ProgressBody(BaseModel):
    """How far the work is."""

    model_config = ConfigDict(extra="forbid")

    percent: Annotated[int, Field(ge=0, le=100)]
    note: Annotated[str, StringConstraints(max_length=2000)] = ""


class CompleteBody(BaseModel):
    """The identifiers of what was created (provision) or acted on (modify, deprovision)."""

    model_config = ConfigDict(extra="forbid")

    resource_ids: Annotated[list[ResourceId], Field(min_length=1, max_length=1000)]


class FailBody(BaseModel):
    """Why the work failed."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class WipeBody(BaseModel):
    """L7: the data wipe of the named resources, attested."""

    model_config = ConfigDict(extra="forbid")

    resource_ids: Annotated[list[ResourceId], Field(min_length=1, max_length=1000)]
    method: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    attested_by: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    # L17: the day until which the resources' operation logs are kept (required where L17
    # applies: at least the profile's years after the wipe).
    operation_logs_kept_until: date | None = None


class OperationRead(BaseModel):
    """A long operation (OSB last_operation)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    work_order_id: str
    action: str
    state: str
    description: str
    originating_identity: str


class ReportCreate(BaseModel):
    """L13: the monthly report on a month: utilisation, O&M, optimisation advice, security."""

    model_config = ConfigDict(extra="forbid")

    period: Period
    utilisation: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)
    ]
    om: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    optimisation: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)
    ]
    security: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)
    ]


class PlatformChangeCreate(BaseModel):
    """L14: a planned change of the provider's platform."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    plan: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    major: bool
    users_notified: bool
    starts_at: UtcDatetime


class DrillCreate(BaseModel):
    """L15: an emergency drill (应急演练) the provider held: the day (in China) and a summary."""

    model_config = ConfigDict(extra="forbid")

    held_on: date
    summary: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)
    ]


class DrillRead(BaseModel):
    """A recorded emergency drill."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    platform_id: str
    held_on: date
    summary: str
    filed_by: str
    filed_at: datetime
