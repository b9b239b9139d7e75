"""REST shapes of the pools and draws."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from review.pools.enums import AssignmentStatus, DrawKind, Pool

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class PoolMemberCreate(BaseModel):
    """An expert or agency joining a pool."""

    model_config = ConfigDict(extra="forbid")

    pool: Pool
    name: Name
    subject: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
        | None
    ) = None
    employer_org_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None
    specialties: list[Tag] = Field(min_length=1, max_length=20)
    available: bool = True
    conflicts: list[Tag] = Field(default_factory=list, max_length=200)


class PoolMemberUpdate(BaseModel):
    """A change of availability, specialties or declared conflicts (If-Match guards it)."""

    model_config = ConfigDict(extra="forbid")

    specialties: list[Tag] | None = Field(default=None, min_length=1, max_length=20)
    available: bool | None = None
    conflicts: list[Tag] | None = Field(default=None, max_length=200)


class PoolMemberRead(BaseModel):
    """A pool member as the bureau sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    pool: Pool
    name: str
    subject: str | None
    employer_org_id: str | None
    specialties: list[str]
    available: bool
    conflicts: list[str]
    version: int


class DrawCreate(BaseModel):
    """Draw `count` members of a pool with a specialty for a case."""

    model_config = ConfigDict(extra="forbid")

    pool: Pool = Pool.EXPERT
    specialty: Tag
    count: int = Field(ge=1, le=25)


class DeclineCreate(BaseModel):
    """A drawn member declines; the reason is recorded and a replacement is drawn."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class AssignmentRead(BaseModel):
    """A member drawn for a case."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    draw_id: str
    member_id: str
    pool: Pool
    subject: str | None
    status: AssignmentStatus
    decline_reason: str | None
    declined_at: datetime | None


class DrawRead(BaseModel):
    """A draw's full record: seed, candidates, exclusions and the pick."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    pool: Pool
    kind: DrawKind
    specialty: str
    count: int
    seed: str
    candidates: list[str]
    excluded: list[dict[str, str]]
    picked: list[str]
    replaces_assignment_id: str | None
    decisions: list[dict]
    drawn_by: str
    drawn_at: datetime


class DrawVerification(BaseModel):
    """A draw re-run from its record: the same seed and candidates must give the same pick."""

    draw_id: str
    seed: str
    candidates: list[str]
    recorded: list[str]
    recomputed: list[str]
    matches: bool
