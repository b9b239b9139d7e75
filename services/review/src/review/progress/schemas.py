"""REST shapes of the yearly progress and performance reports (F6)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8000)]


class ProgressReportCreate(BaseModel):
    """The unit's report for one year of construction (YY art21: 建设进度和投资计划执行情况; for
    a system in trial run, 试运行效果及遇到的问题)."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)
    progress: Text
    investment_execution: Text
    trial_run_effects: Text | None = None


class ProgressReportRead(BaseModel):
    """A year's report, or its overdue flag until the unit submits it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    year: int
    status: Literal["submitted", "overdue"]
    progress: str | None
    investment_execution: str | None
    trial_run_effects: str | None
    decisions: list[dict[str, Any]]
    submitted_by: str | None
    submitted_at: datetime | None
    overdue_flagged_at: datetime | None
