"""Enumerations of resource requests."""

import enum


class ServiceMode(enum.StrEnum):
    """L8: the government cloud's service modes."""

    GENERAL = "general"  # 普通云服务
    DEDICATED = "dedicated"  # 专享云服务
    MANAGED = "managed"  # 托管服务


class RequestStatus(enum.StrEnum):
    """Where a resource request stands (L1); the walking skeleton reaches `submitted`."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
