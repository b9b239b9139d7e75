"""Enumerations of resource requests."""

import enum


class ServiceMode(enum.StrEnum):
    """L8: the government cloud's service modes."""

    GENERAL = "general"  # 普通云服务
    DEDICATED = "dedicated"  # 专享云服务: needs its plan approved
    MANAGED = "managed"  # 托管服务


MODE_NAMES = {
    ServiceMode.GENERAL: "普通云服务",
    ServiceMode.DEDICATED: "专享云服务",
    ServiceMode.MANAGED: "托管服务",
}


class RequestStatus(enum.StrEnum):
    """Where a resource request (and, once provisioned, its resource) stands (L1, L3, L7)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    COUNTY_REVIEWED = "county_reviewed"  # L3: the county authority forwarded it
    ACCEPTED = "accepted"  # 受理
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    ALLOCATED = "allocated"  # 分配 to a provider platform: a work order waits
    PROVISIONING = "provisioning"  # the provider claimed the work order
    CONFIGURED = "configured"  # 资源配置完成
    DEPLOYED = "deployed"  # the unit deployed its system (部署)
    ACTIVE = "active"  # 开通
    EXIT_REQUESTED = "exit_requested"  # L7 终止申请
    # L3 (PDS C art13): the county authority forwarded a county unit's exit application.
    EXIT_FORWARDED = "exit_forwarded"
    TRANSITION = "transition"  # L7 过渡期: the unit migrates and backs up
    WIPING = "wiping"  # the provider wipes data and reclaims
    RECLAIMED = "reclaimed"


# Approved but not yet provisioned, and provisioned until reclaimed: both count against quota (L5).
COMMITTED = frozenset(
    {
        RequestStatus.APPROVED,
        RequestStatus.ALLOCATED,
        RequestStatus.PROVISIONING,
        RequestStatus.CONFIGURED,
        RequestStatus.DEPLOYED,
        RequestStatus.ACTIVE,
        RequestStatus.EXIT_REQUESTED,
        RequestStatus.EXIT_FORWARDED,
        RequestStatus.TRANSITION,
        RequestStatus.WIPING,
    }
)


class UnitLevel(enum.StrEnum):
    """A unit's level: county units are reviewed first by their county authority (L3)."""

    CITY = "city"
    COUNTY = "county"


class Funding(enum.StrEnum):
    """How a unit is funded (L9 decides who pays from it)."""

    FULL = "full"  # 全额保障
    PARTIAL = "partial"  # 差额保障
    SELF = "self"  # 自收自支


class ChangeStatus(enum.StrEnum):
    """Where a change request of an active resource stands (L6)."""

    SUBMITTED = "submitted"
    # L3 (PDS C art13): the county authority forwarded a county unit's change to the bureau.
    COUNTY_REVIEWED = "county_reviewed"
    APPROVED = "approved"
    REJECTED = "rejected"
    APPLIED = "applied"
    FAILED = "failed"  # the provider could not apply it


# A change that may still be applied: it counts toward the quota at its size (L5).
PENDING_CHANGES = frozenset(
    {ChangeStatus.SUBMITTED, ChangeStatus.COUNTY_REVIEWED, ChangeStatus.APPROVED}
)


class MigrationImpact(enum.StrEnum):
    """L12 (SN C art12): how far moving an existing system onto the cloud reaches."""

    ORDINARY = "ordinary"  # 普通系统迁移, 不会造成重大影响: advance notice
    IMPORTANT = "important"  # 重要系统迁移, 会造成重大影响: an approved migration plan


class MigrationPlanStatus(enum.StrEnum):
    """Where an important migration's plan (迁移实施方案, L12) stands with the bureau."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"  # the unit may submit a revised plan


# L12: the states in which a migration's plan or notice may still come: before the unit
# deploys (实施迁移: moves its system onto the configured resources, the gated step).
BEFORE_MIGRATION = frozenset(
    {
        RequestStatus.DRAFT,
        RequestStatus.SUBMITTED,
        RequestStatus.COUNTY_REVIEWED,
        RequestStatus.ACCEPTED,
        RequestStatus.APPROVED,
        RequestStatus.ALLOCATED,
        RequestStatus.PROVISIONING,
        RequestStatus.CONFIGURED,
    }
)
