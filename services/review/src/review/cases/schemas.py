"""REST shapes of review cases."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from review.cases.enums import CaseStatus, Conclusion, Track


class ConclusionCreate(BaseModel):
    """The bureau's conclusion on a case (D3), with its reason."""

    model_config = ConfigDict(extra="forbid")

    conclusion: Conclusion
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class ReviewCaseRead(BaseModel):
    """A review case as reviewers and the applicant unit see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    project_id: str
    org_id: str
    project_name: str
    total_investment: Decimal
    track: Track
    decisions: list[dict[str, Any]]
    status: CaseStatus
    conclusion: Conclusion | None
    reason: str | None
    reviewer: str | None
    opened_at: datetime
    concluded_at: datetime | None
    version: int
