"""REST shapes of review cases."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

from review.cases.enums import CaseStatus, Conclusion, PreCheckStatus, Track


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
    contractor: str | None
    attributes: dict[str, Any]
    status: CaseStatus
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
    overruled_by: str | None
    overrule_reason: str | None
    overruled_at: datetime | None


class OverruleCreate(BaseModel):
    """A reviewer sets a pre-check aside; the written reason is required."""

    model_config = ConfigDict(extra="forbid")

    reason: Text
