"""Enumerations of review cases."""

import enum


class Track(enum.StrEnum):
    """D2: a full technical review, or filing only below the profile's threshold."""

    TECHNICAL_REVIEW = "technical_review"
    FILING = "filing"


class CaseStatus(enum.StrEnum):
    """Where a case stands."""

    OPEN = "open"
    REVISION_REQUESTED = "revision_requested"  # approve after revision: the unit revises
    CONCLUDED = "concluded"
    SUSPENDED = "suspended"  # F4: the bureau suspended construction; lifted back to concluded
    TERMINATED = "terminated"  # F5: the approver agreed to terminate the project (final)


# A case in one of these states takes no further step (chain, change, acceptance): 409.
HALTED = (CaseStatus.SUSPENDED, CaseStatus.TERMINATED)


class Conclusion(enum.StrEnum):
    """D3: the data bureau's conclusion."""

    APPROVE = "approve"
    APPROVE_AFTER_REVISION = "approve_after_revision"
    REJECT = "reject"


class PreCheckStatus(enum.StrEnum):
    """Where a pre-check stands."""

    RAISED = "raised"  # blocks an approving conclusion
    CLEARED = "cleared"  # the declared attributes (or, for a judged ground, the reviewer) no longer raise it
    OVERRULED = "overruled"  # a reviewer set it aside with a written reason


class Capacity(enum.StrEnum):
    """In which capacity an opinion is given in the joint review (D3)."""

    EXPERT = "expert"  # a drawn expert or agency (D6; SN P art23(二) 专家或第三方专业机构)
    SECURITY = "security"  # 网信办 / 公安局: information security opinion
    SECRECY = "secrecy"  # 保密机要局: secure-and-reliable, e-records, crypto compliance


class ChecklistItem(enum.StrEnum):
    """What an opinion assesses: D4's review content, then the D3 security and secrecy items."""

    MANDATORY_REQUIREMENTS = "mandatory_requirements"  # 强制性要求
    RESOURCE_SHARING = "resource_sharing"  # 资源集约利用、系统整合、数据汇聚共享
    TECHNICAL_ROUTE = "technical_route"  # 技术路线和设计方案
    TECHNOLOGY_TRENDS = "technology_trends"  # 技术发展趋势
    SECURITY_AND_OM = "security_and_om"  # 安全保障、运维服务体系
    IMPLEMENTATION_PLAN = "implementation_plan"  # 实施计划
    IMPLEMENTATION_CONDITIONS = "implementation_conditions"  # 实施条件
    PERFORMANCE_GOALS = "performance_goals"  # 绩效目标
    INFORMATION_SECURITY = "information_security"  # 信息安全审核意见
    SECURE_AND_RELIABLE = "secure_and_reliable"  # 安全可靠
    ELECTRONIC_RECORDS = "electronic_records"  # 电子文件管理
    CRYPTO_COMPLIANCE = "crypto_compliance"  # 密码应用合规性


class Verdict(enum.StrEnum):
    """An opinion's finding on one checklist item."""

    SATISFIED = "satisfied"
    NEEDS_REVISION = "needs_revision"
    UNSATISFIED = "unsatisfied"


class Recommendation(enum.StrEnum):
    """What an opinion recommends to the bureau."""

    APPROVE = "approve"
    REVISE = "revise"
    REJECT = "reject"


class ChainStep(enum.StrEnum):
    """D7: the approval chain after the bureau's opinion."""

    BUREAU_OPINION = "bureau_opinion"
    NDRC_APPROVAL = "ndrc_approval"  # 可研和概算审批
    INVESTMENT_REVIEW = "investment_review"  # 财政投资评审
