"""REST shapes of project applications."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from intake.calls.enums import Listing
from intake.projects.enums import ProjectStatus, ProjectType

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Person = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 -]{5,30}$")]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Yuan = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2, description="yuan, exact")]
Id = Annotated[str, StringConstraints(max_length=36)]


class BasisDocument(BaseModel):
    """A document the project rests on: its name and number (文件名和文号)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = ""


class YearlyFunding(BaseModel):
    """The funding estimate of one year of the schedule (年度资金估算)."""

    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=2000, le=2100)]
    amount: Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]


class ProjectForm(BaseModel):
    """C1's form fields a unit may fill or change while the application is a draft."""

    supervising_department: Name | None = None
    leader_name: Person | None = None
    leader_phone: Phone | None = None
    contact_name: Person | None = None
    contact_phone: Phone | None = None
    background: LongText | None = None
    basis_documents: list[BasisDocument] = []
    preparation_status: LongText | None = None
    schedule: LongText | None = None
    yearly_funding: list[YearlyFunding] = []
    predecessor_project_id: Id | None = None
    demand_call_id: Id | None = None
    framework_plan_id: Id | None = None
    # A1: not on the government cloud (a written justification is then required).
    cloud_exception: bool = False
    # B6: built and funded by the national or provincial level (filed with the bureau).
    upper_level_funded: bool = False


class ProjectBase(BaseModel):
    """Fields a unit fills in (C1)."""

    name: Name
    project_type: ProjectType
    total_investment: Yuan


class ProjectCreate(ProjectBase, ProjectForm):
    """A new draft; owner, status and approver fields are not the client's to set.
    classified (A2): the project is recorded as existing and goes no further."""

    model_config = ConfigDict(extra="forbid")

    classified: bool = False


class ProjectUpdate(ProjectForm):
    """A change to a draft: the fields sent replace the stored ones."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    project_type: ProjectType | None = None
    total_investment: Yuan | None = None


class ProjectRead(ProjectBase, ProjectForm):
    """A project application as its unit and the bureaus see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    org_id: str
    status: ProjectStatus
    classified: bool
    plan_year: int | None
    listing: Listing | None
    cdo_signed_by: str | None
    cdo_signed_at: datetime | None
    origin: str | None
    origin_project_id: str | None
    county_opinion: str | None
    city_project_id: str | None
    city_status: str | None
    created_by: str
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime
    version: int


class MaterialRead(BaseModel):
    """A stored material: its kind, name, type, size and SHA-256 (the content is fetched apart)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class RequiredMaterial(BaseModel):
    """A kind the application must carry, the rule asking for it, and whether it is there."""

    kind: str
    rule_id: str
    article: str
    present: bool
