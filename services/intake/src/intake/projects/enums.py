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
    APPROVED = "approved"
    REVISION_REQUESTED = "revision_requested"
    REJECTED = "rejected"
