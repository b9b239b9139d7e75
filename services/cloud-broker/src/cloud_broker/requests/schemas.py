"""REST shapes of resource requests."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cloud_broker.requests.enums import RequestStatus, ServiceMode


class ResourceItem(BaseModel):
    """One line of a request: a catalog SKU and how many."""

    model_config = ConfigDict(extra="forbid")

    sku: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    quantity: Annotated[int, Field(ge=1, le=100_000)]


class ResourceRequestCreate(BaseModel):
    """A unit's request; owner and status are not the client's to set."""

    model_config = ConfigDict(extra="forbid")

    project_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    service_mode: ServiceMode
    items: Annotated[list[ResourceItem], Field(min_length=1, max_length=100)]


class ResourceRequestRead(BaseModel):
    """A resource request as its unit and the cloud administrators see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    service_mode: ServiceMode
    items: list[ResourceItem]
    status: RequestStatus
    decisions: list[dict[str, Any]]
    submitted_by: str
    submitted_at: datetime
    version: int
