"""REST shapes of review cases."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from review.cases.enums import (
    Capacity,
    CaseStatus,
    ChainStep,
    ChecklistItem,
    Conclusion,
    PreCheckStatus,
    Recommendation,
    Track,
    Verdict,
)

Revision = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ConclusionCreate(BaseModel):
    """The bureau's conclusion on a case (D3), with its reason."""

    model_config = ConfigDict(extra="forbid")

    conclusion: Conclusion
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    # D3: what the applicant must revise; required for approve_after_revision, else empty.
    required_revisions: list[Revision] = Field(
        default_factory=list, max_length=100, validate_default=True
    )

    @field_validator("required_revisions")
    @classmethod
    def _revisions_match_conclusion(cls, value: list[str], info: ValidationInfo) -> list[str]:
        conclusion = info.data.get("conclusion")
        if conclusion == Conclusion.APPROVE_AFTER_REVISION and not value:
            raise ValueError("approve_after_revision must list the required revisions")
        if conclusion != Conclusion.APPROVE_AFTER_REVISION and value:
            raise ValueError("only approve_after_revision carries required revisions")
        return value


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
    contractor: str | None
    attributes: dict[str, Any]
    round: int
    status: CaseStatus
    chain_stage: ChainStep | None
    approved_investment: Decimal | None
    conclusion: Conclusion | None
    reason: str | None
    reviewer: str | None
    opened_at: datetime
    concluded_at: datetime | None
    version: int


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class DeclaredAttributes(BaseModel):
    """What the applicant declares about the project, for the D5/D8 pre-checks and the draw.

    Unset (null) means not declared; only a declared fact raises a ground.
    """

    model_config = ConfigDict(extra="forbid")

    classified: bool = False  # 涉密: D5 items 1-3 concern non-classified systems only
    new_data_centre: bool = False  # 新建或扩建机房、数据中心、私有云
    new_server_hardware: bool = False  # 新增服务器、存储、服务端网络设备
    private_lines: bool = False  # 互联网出口线路或专网租赁
    on_government_cloud: bool | None = None  # 部署到市级政务云
    rebuilds_shared_system: bool = False  # 新建或扩建共性系统
    data_sharing_commitment: bool | None = None  # 承诺接入数据共享交换平台
    duplicates_system_id: Ref | None = None  # a registered system it duplicates
    predecessor_project_id: Ref | None = None  # the project this one upgrades
    predecessor_accepted: bool | None = None  # whether that predecessor passed acceptance
    contractor: Ref | None = None  # experts involved with it are not drawn (D6)


class PreCheckRead(BaseModel):
    """A pre-check and, if overruled, who did it and why."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    ground: str
    rule_id: str
    article: str
    reason: str
    status: PreCheckStatus
    raised_at: datetime
    raised_by: str | None = None  # a judged D5 ground's reviewer (None: from the declaration)
    raise_reason: str | None = None
    cleared_by: str | None = None
    clear_reason: str | None = None
    cleared_at: datetime | None = None
    overruled_by: str | None
    overrule_reason: str | None
    overruled_at: datetime | None


class PreCheckRaise(BaseModel):
    """A bureau reviewer raises a D5 ground no declaration can show (SN P art19(二) item 5's
    second half, 6, 7, 9), with a written reason."""

    model_config = ConfigDict(extra="forbid")

    ground: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    reason: Text


class PreCheckClearance(BaseModel):
    """A bureau reviewer clears a ground it raised that no longer holds, with a written reason."""

    model_config = ConfigDict(extra="forbid")

    reason: Text


class OverruleCreate(BaseModel):
    """A reviewer sets a pre-check aside; the written reason is required."""

    model_config = ConfigDict(extra="forbid")

    reason: Text


class ChecklistEntry(BaseModel):
    """An opinion's finding on one checklist item."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class OpinionCreate(BaseModel):
    """A reviewer's opinion; to change one, send a new version based on the latest you saw."""

    model_config = ConfigDict(extra="forbid")

    checklist: dict[ChecklistItem, ChecklistEntry] = Field(min_length=1)
    recommendation: Recommendation
    summary: Text
    # The version this one revises (None for a first opinion): a stale base is a 409.
    based_on_version: int | None = Field(default=None, ge=1)


class OpinionRead(BaseModel):
    """One version of an opinion."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    round: int
    author: str
    author_org: str
    capacity: Capacity
    version: int
    checklist: dict[str, Any]
    recommendation: Recommendation
    summary: str
    created_at: datetime


class ConclusionRecordRead(BaseModel):
    """One conclusion of a case's history."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    round: int
    conclusion: Conclusion
    reason: str
    required_revisions: list[str]
    decisions: list[dict[str, Any]]
    reviewer: str
    concluded_at: datetime


class ResubmissionCreate(BaseModel):
    """The applicant's revised plan: what was changed in answer to the required revisions."""

    model_config = ConfigDict(extra="forbid")

    note: Text


class ResubmissionRead(BaseModel):
    """A resubmission that opened a new round."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    round: int
    note: str
    resubmitted_by: str
    resubmitted_at: datetime


class ApprovalStepCreate(BaseModel):
    """An approval chain record (D7): the approving document and the approved amount in yuan."""

    model_config = ConfigDict(extra="forbid")

    document_number: Ref
    approved_amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2)
    note: Text | None = None


class ApprovalStepRead(BaseModel):
    """A recorded approval chain step."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    step: ChainStep
    document_number: str
    approved_amount: Decimal
    note: str | None
    decisions: list[dict[str, Any]]
    recorded_by: str
    recorded_org: str
    recorded_at: datetime


class CaseHistory(BaseModel):
    """Everything that happened on a case, oldest first."""

    case: ReviewCaseRead
    pre_checks: list[PreCheckRead]
    opinions: list[OpinionRead]
    conclusions: list[ConclusionRecordRead]
    resubmissions: list[ResubmissionRead]
    approval_steps: list[ApprovalStepRead]


class SuspensionCreate(BaseModel):
    """F4: the bureau suspends construction; the reason (the serious delay or loss) is required."""

    model_config = ConfigDict(extra="forbid")

    reason: Text


class SuspensionLift(BaseModel):
    """The bureau lifts a suspension, saying why."""

    model_config = ConfigDict(extra="forbid")

    note: Text


class SuspensionRead(BaseModel):
    """A suspension of a case and, once lifted, who lifted it and why."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    reason: str
    decisions: list[dict[str, Any]]
    suspended_by: str
    suspended_at: datetime
    lifted_by: str | None
    lift_note: str | None
    lifted_at: datetime | None
