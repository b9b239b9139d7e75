"""REST shapes of acceptance and evaluation."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from review.acceptance.enums import (
    EvaluationStatus,
    Grade,
    Material,
    PreApprovalStatus,
    ReportRecipient,
    SecurityEvaluation,
    Stage,
)

G5Item = Literal["secure_and_reliable_products", "crypto_and_security_review", "energy_efficiency"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Sha256 = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[0-9a-fA-F]{64}$")
]


class AcceptanceCreate(BaseModel):
    """The facts of an acceptance the bureau records (its date may be a past meeting's)."""

    model_config = ConfigDict(extra="forbid")

    stage: Stage = Stage.SINGLE
    accepted_on: date
    trial_run_started_on: date | None = None
    went_live_on: date | None = None
    completed_on: date | None = None
    applied_on: date | None = Field(
        default=None,
        description="G3 (yunyang, YY art25): the day the unit submitted the acceptance application "
        "to the data bureau (at or above 500万 the half year after completion bounds it, not "
        "accepted_on); on or before accepted_on. Omitted: accepted_on stands in for it.",
    )
    extension_approved: bool = False
    materials: list[Material] = Field(default_factory=list)
    archives_accepted: bool = False
    # G5: secure_and_reliable_products, crypto_and_security_review, energy_efficiency.
    checked: list[G5Item] = Field(default_factory=list)
    security_evaluation: SecurityEvaluation | None = Field(
        default=None,
        description="G6: the result of the security evaluation (安全评测) the acceptance took. "
        "Where the profile's G6 requires it (xianyang, XY art17: 安全评测不合格…不得投入使用) a "
        "single or final acceptance without `passed` is refused citing G6; anywhere G6 applies, "
        "`failed` is refused.",
    )


class AcceptanceRead(BaseModel):
    """A recorded acceptance."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    stage: Stage
    accepted_on: date
    went_live_on: date | None
    facts: dict[str, Any]
    om_eligible: bool
    decisions: list[dict[str, Any]]
    recorded_by: str
    recorded_at: datetime


class PreApprovalCreate(BaseModel):
    """The unit's request for the data bureau's pre-approval of acceptance (G2), after the trial
    run (SN P art32: 试运行结束后…申请开展项目履约验收前置核准)."""

    model_config = ConfigDict(extra="forbid")

    trial_run_ended_on: date = Field(
        description="The day the trial run ended: on or before the day of the request."
    )
    note: Text | None = None


class PreApprovalDecisionCreate(BaseModel):
    """The data bureau grants or refuses the pre-approval, with its reason."""

    model_config = ConfigDict(extra="forbid")

    granted: bool
    reason: Text


class PreApprovalRead(BaseModel):
    """A pre-approval request and, once decided, the bureau's answer."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    trial_run_ended_on: date
    note: str | None
    status: PreApprovalStatus
    decisions: list[dict[str, Any]]
    requested_by: str
    requested_at: datetime
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None


class EvaluationRead(BaseModel):
    """A performance evaluation, its window and, once recorded, its result."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    earliest_on: date | None
    due_on: date | None
    status: EvaluationStatus
    decisions: list[dict[str, Any]]
    overdue_flagged_at: datetime | None
    grade: Grade | None
    summary: str | None
    recorded_by: str | None
    recorded_at: datetime | None


class EvaluationResultCreate(BaseModel):
    """An evaluation's result."""

    model_config = ConfigDict(extra="forbid")

    grade: Grade
    summary: Text


class ReportFilingCreate(BaseModel):
    """G7 (PDS P art18): the unit files the acceptance report with the four bodies after the
    final acceptance. Review keeps the report's reference and the SHA-256 of its file."""

    model_config = ConfigDict(extra="forbid")

    report_document: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)
    ] = Field(description="The report's reference: its document number or file name.")
    report_sha256: Sha256 = Field(description="Hex SHA-256 of the report's file (64 digits).")
    filed_on: date = Field(description="The day it was filed: on or after the final acceptance.")
    recipients: list[ReportRecipient] = Field(
        description="Who it was filed with: data_bureau, ndrc, finance and audit, all four."
    )


class ReportFilingRead(BaseModel):
    """A filed acceptance report (G7)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    project_id: str
    org_id: str
    acceptance_id: str
    report_document: str
    report_sha256: str
    filed_on: date
    recipients: list[ReportRecipient]
    decisions: list[dict[str, Any]]
    filed_by: str
    filed_at: datetime
