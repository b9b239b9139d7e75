"""REST shapes of compliance findings."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from audit.log.schemas import AuditEntryRead


class FindingStatus(StrEnum):
    """Open until an auditor resolves it."""

    OPEN = "open"
    RESOLVED = "resolved"


class FindingRead(BaseModel):
    """A finding: the rule it cites, what happened, and the log entries that show it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    check: str = Field(validation_alias=AliasChoices("check_code", "check"))
    rule_id: str
    article: str
    summary: str
    figures: dict[str, Any]
    project_id: str | None
    org_id: str | None
    evidence: list[int] = Field(description="leaf indexes of the evidence entries in the log")
    status: FindingStatus
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


class FindingDetail(FindingRead):
    """A finding with its evidence entries in full (each has an inclusion proof in the log)."""

    evidence_entries: list[AuditEntryRead]


class ResolutionCreate(BaseModel):
    """Why an auditor closes a finding (the rectification seen, or why it was no breach)."""

    model_config = ConfigDict(extra="forbid")

    resolution: str = Field(min_length=1, max_length=4000)
