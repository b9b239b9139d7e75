"""Enumerations of the project library and the annual plan."""

import enum


class PriorityType(enum.StrEnum):
    """B4 (SN P art19(一)): the eight kinds of project implemented first."""

    CENTRAL_ORDER = "central_order"  # 1. 党中央、国务院、省委省政府部署的重大信息化项目
    MUNICIPAL_DECISION = "municipal_decision"  # 2. 落实市委、市政府重大决策部署
    SHARED_PLATFORM = "shared_platform"  # 3. 全市共建共享的基础支撑平台、基础数据库...
    INTERNET_PLUS = "internet_plus"  # 4. 互联网+政务服务/监管, 掌上办事/办公
    INTEGRATION = "integration"  # 5. 对分散、独立的应用和数字资源进行整合
    SECURITY_GAP = "security_gap"  # 6. 关键信息基础设施和公共数据安全, 弥补安全短板
    CROSS_DEPARTMENT = "cross_department"  # 7. 跨部门、跨层级共建共享的其他重大项目
    DIGITAL_TRANSFORMATION = "digital_transformation"  # 8. 日常政务服务的数字化转型


class PlanStatus(enum.StrEnum):
    """An annual plan is drafted, then adopted; after that only emergencies join it (A3)."""

    DRAFT = "draft"
    ADOPTED = "adopted"


class BaselineField(enum.StrEnum):
    """The planned values of a library project that a rebaseline can change."""

    PLANNED_COST = "planned_cost"
    PLANNED_START = "planned_start"
    PLANNED_END = "planned_end"
