"""Enumerations of project applications."""

import enum


class ProjectType(enum.StrEnum):
    """C1: the kinds of project an application can be."""

    NEW = "new"  # 新建
    CONTINUED = "continued"  # 续建
    EXPANSION = "expansion"  # 改扩建
    OPERATIONS = "operations"  # 运维
    SERVICE_PURCHASE = "service_purchase"  # 购买服务


class ProjectStatus(enum.StrEnum):
    """Where an application stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    FILED = "filed"  # B6: an upper-level funded project, filed with the data bureau only
    FORWARDED = "forwarded"  # C6: a county's first review passed, sent to the city
    APPROVED = "approved"
    REVISION_REQUESTED = "revision_requested"
    REJECTED = "rejected"
    RECORDED = "recorded"  # A2: a classified project, recorded as existing and nothing more
    TERMINATED = "terminated"  # F5: review's approved termination (govit.review.case.terminated)


EDITABLE = (ProjectStatus.DRAFT, ProjectStatus.REVISION_REQUESTED)


class MaterialKind(enum.StrEnum):
    """The named kinds of material an application carries (C1 attachments, C3 chapters, C7)."""

    FEASIBILITY_STUDY = "feasibility_study"  # 项目基本情况报告 / 可行性研究报告
    BUDGET_DETAIL = "budget_detail"  # 投资预算明细
    PROJECT_PROPOSAL = "project_proposal"  # 项目建议书
    IMPLEMENTATION_PLAN = "implementation_plan"  # 初步设计方案或实施方案
    DATA_GOVERNANCE = "data_governance"  # 数据资源收集治理及业务应用梳理
    DATA_SHARING_ANALYSIS = "data_sharing_analysis"  # 数据资源共享分析
    NETWORK_SECURITY = "network_security"  # 网络安全保护措施
    CRYPTO_PLAN = "crypto_plan"  # 密码应用方案
    INTENSIVE_CONSTRUCTION = "intensive_construction"  # 集约化建设篇(章)
    PREDECESSOR_EVALUATION = "predecessor_evaluation"  # 前期项目第三方后评价报告 (改扩建)
    CURRENT_IT_STATUS = "current_it_status"  # 本单位信息化建设现状
    NO_DUPLICATION_STATEMENT = "no_duplication_statement"  # 无重复建设说明
    SYSTEM_INTEGRATION = "system_integration"  # 现有系统整合情况
    CLOUD_AND_DATA_STATUS = "cloud_and_data_status"  # 系统上云和数据汇聚情况
    PROBLEM_AND_RESULT = "problem_and_result"  # 要解决的问题和最终成效
    SERVICE_PURCHASE_CONDITIONS = "service_purchase_conditions"  # 购买服务四项条件说明
    CLOUD_EXCEPTION_JUSTIFICATION = "cloud_exception_justification"  # 不上政务云的书面说明 (A1)
    OTHER = "other"  # anything else the unit attaches
