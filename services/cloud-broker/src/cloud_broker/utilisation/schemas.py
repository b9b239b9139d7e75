"""REST shapes of utilisation (L11)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Period = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
Pct = Annotated[Decimal | None, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Gb = Annotated[Decimal | None, Field(ge=0, max_digits=14, decimal_places=2)]


class FigureIn(BaseModel):
    """One resource's figures for a month; leave out what was not measured."""

    model_config = ConfigDict(extra="forbid")

    resource_id: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    period: Period
    cpu_avg_percent: Pct = None
    memory_avg_percent: Pct = None
    storage_used_gb: Gb = None
    storage_total_gb: Gb = None

    @model_validator(mode="after")
    def _storage(self):
        used, total = self.storage_used_gb, self.storage_total_gb
        if used is not None and total is not None and used > total:
            raise ValueError("storage_used_gb exceeds storage_total_gb")
        return self


class FigureBatch(BaseModel):
    """A batch of figures."""

    model_config = ConfigDict(extra="forbid")

    figures: Annotated[list[FigureIn], Field(min_length=1, max_length=5000)]


class ClassificationCreate(BaseModel):
    """Run the monthly classification of a period."""

    model_config = ConfigDict(extra="forbid")

    period: Period


class FindingRead(BaseModel):
    """A finding with its figures, the rule and a recommended size."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    resource_id: str
    org_id: str
    period: str
    cpu_class: str
    memory_class: str
    storage_class: str
    finding: str
    cpu_avg_percent: Decimal | None
    memory_avg_percent: Decimal | None
    storage_used_gb: Decimal | None
    storage_total_gb: Decimal | None
    vcpu: int
    memory_gb: int
    recommended_vcpu: int
    recommended_memory_gb: int
    recommended_storage_gb: int | None
    rule_id: str
    article: str
    run_id: str
    status: str
    plan: str
    response_reason: str
    ruling_reason: str
    created_at: datetime
    version: int


class FindingResponse(BaseModel):
    """The unit accepts a downsize or reclaim plan, or disputes the finding with a reason."""

    model_config = ConfigDict(extra="forbid")

    accept: bool
    plan: Annotated[str, StringConstraints(pattern=r"^(downsize|reclaim|)$")] = ""
    reason: Annotated[str, StringConstraints(max_length=2000)] = ""


class FindingRuling(BaseModel):
    """The bureau rules on a dispute: a good reason closes it, otherwise the unit is marked."""

    model_config = ConfigDict(extra="forbid")

    good_reason: bool
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class ClassificationRunRead(BaseModel):
    """A classification run and the thresholds it applied."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    period: str
    rule_id: str
    article: str
    thresholds: dict
    counts: dict
    run_by: str
    run_at: datetime
