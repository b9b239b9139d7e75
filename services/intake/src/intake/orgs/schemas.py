"""REST shapes of organisations."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from govit_kit.credit_code import CreditCode
from intake.orgs.enums import Deferral, FundingClass, FundingGround, OrgLevel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OrgId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._-]{1,64}$")]


class OrganisationBase(BaseModel):
    """What the data bureau records of a unit."""

    name: Text
    credit_code: CreditCode
    level: OrgLevel
    parent_org_id: OrgId | None = None
    funding_class: FundingClass
    cdo_subject: Annotated[str, StringConstraints(max_length=128)] | None = None
    cdo_name: Annotated[str, StringConstraints(max_length=100)] | None = None


class OrganisationCreate(OrganisationBase):
    """A unit to register; its id is the `org` claim its people's tokens carry."""

    model_config = ConfigDict(extra="forbid")

    id: OrgId


class OrganisationUpdate(OrganisationBase):
    """The whole record, replaced (guarded by If-Match)."""

    model_config = ConfigDict(extra="forbid")


class OrganisationRead(OrganisationBase):
    """A unit as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime
    updated_at: datetime
    version: int


class RectificationCreate(BaseModel):
    """An open security rectification (J3) of a unit."""

    model_config = ConfigDict(extra="forbid")

    finding: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class RectificationRead(BaseModel):
    """A rectification as intake holds it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    org_id: str
    finding: str
    opened_at: datetime
    closed_at: datetime | None


class GroundRead(BaseModel):
    """Finance's latest fact on one I3 ground of a unit, as intake holds it (YY art28, art30);
    or, where J1 applies, a rectification order that deferred the unit's investment plan
    (`investment_deferred`, SN P art37, YY art32), standing until review resolves it."""

    model_config = ConfigDict(from_attributes=True)

    ground: FundingGround | Deferral
    rule_id: str = "I3"
    org_id: str
    # The project whose system the ground is about; none for the unit's own (art30). For J1,
    # the project the order was issued on (the deferral holds all the unit's projects).
    project_id: str | None
    stands: bool
    document: str
    # When the fact was recorded; for J1, when the order was escalated (lifted: resolved).
    fact_at: datetime
    # J1: the rectification order and the highest step of the ladder it reached.
    order_id: str | None = None
    sanction: str | None = None
