"""Enumerations of project changes (项目调整、变更、终止)."""

import enum


class ChangeKind(enum.StrEnum):
    """What the unit asks to change."""

    ADJUSTMENT = "adjustment"  # 调整建设内容或资金 (F1, F2)
    MAJOR_CHANGE = "major_change"  # 重大变更 (F1-F3)
    DELAY = "delay"  # 延期, 逾期 (F3, F4)
    TERMINATION = "termination"  # 终止 (F5)


class AdjustmentReason(enum.StrEnum):
    """F1's three reasons (YY art24) a unit may adjust on its own, and anything else."""

    SUPERIOR_ARRANGEMENT = "superior_arrangement"  # 根据上级工作安排确需改变建设内容
    PLAN_OPTIMISATION = "plan_optimisation"  # 确需对原技术方案进行完善优化
    BUSINESS_DEVELOPMENT = "business_development"  # 业务发展需要,在已批复框架下调整
    OTHER = "other"


class ChangeRoute(enum.StrEnum):
    """The way a change takes under the profile."""

    SELF_DECIDED = "self_decided"  # the unit decides and files (F1)
    APPROVAL = "approval"  # bureau disposal opinion, then the original approver (F1, F2, F5)
    BUREAU_APPROVAL = "bureau_approval"  # the data bureau approves and files it (F3, XY art15)
    FILING = "filing"  # filed with (or reported to) the bureau (F3, F4; F5 in PDS P art17)


class ChangeStatus(enum.StrEnum):
    """Where a change stands."""

    FILED = "filed"  # done: self-decided or filed
    AWAITING_BUREAU = "awaiting_bureau"  # the bureau's disposal opinion is due
    AWAITING_APPROVER = "awaiting_approver"  # the original approver decides
    APPROVED = "approved"
    REFUSED = "refused"
