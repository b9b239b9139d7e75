"""REST shapes of project applications."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from intake.projects.enums import ProjectStatus, ProjectType

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Yuan = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2, description="yuan, exact")]


class ProjectBase(BaseModel):
    """Fields a unit fills in (C1)."""

    name: Name
    project_type: ProjectType
    total_investment: Yuan


class ProjectCreate(ProjectBase):
    """A new draft; owner, status and approver fields are not the client's to set."""

    model_config = ConfigDict(extra="forbid")


class ProjectRead(ProjectBase):
    """A project application as its unit and the bureaus see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    org_id: str
    status: ProjectStatus
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    version: int
