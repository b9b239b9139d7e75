"""Enumerations of the system registry (政务信息系统目录) and its lifecycle (K1-K6)."""

import enum


class SystemStatus(enum.StrEnum):
    """Where a registered system stands."""

    ACTIVE = "active"
    FROZEN = "frozen"  # K5 暂停冻结
    DECOMMISSIONED = "decommissioned"  # K1 关闭注销 (also the originals of a K2 merge)


class LifecycleAction(enum.StrEnum):
    """The actions of SN P art44-48 and the rule each rests on."""

    DECOMMISSION = "decommissioned"  # K1
    MERGE = "merged"  # K2
    PROMOTE = "promoted"  # K3
    TRANSFER = "transferred"  # K4
    FREEZE = "frozen"  # K5
    UNFREEZE = "unfrozen"  # K5: the system restarts


RULE_OF = {
    LifecycleAction.DECOMMISSION: "K1",
    LifecycleAction.MERGE: "K2",
    LifecycleAction.PROMOTE: "K3",
    LifecycleAction.TRANSFER: "K4",
    LifecycleAction.FREEZE: "K5",
    LifecycleAction.UNFREEZE: "K5",
}


class DecommissionGrounds(enum.StrEnum):
    """K1 (SN P art44)."""

    ORDERED = "ordered"  # (一) 省市有关单位明确要求注销
    NO_LONGER_NEEDED = "no_longer_needed"  # (二) 原有功能不再需要或已由新建系统替代
    TOO_COSTLY_TO_FIX = "too_costly_to_fix"  # (三) 性能及安全无法满足需要且改造费用过高
    LOW_VALUE = "low_value"  # (四) 社会效益差、绩效评价低、使用价值低
    OTHER = "other"  # (五) 其他


class MergeGrounds(enum.StrEnum):
    """K2 (SN P art45), seven grounds."""

    ORDERED = "ordered"  # (一)
    SAME_OBJECT_OR_BUSINESS = "same_object_or_business"  # (二)
    RELATED_BUSINESS = "related_business"  # (三)
    SIMILAR_DATA_OR_COMPONENTS = "similar_data_or_components"  # (四)
    LOW_IMPACT_LOWER_COST = "low_impact_lower_cost"  # (五)
    MOSTLY_REPLACED = "mostly_replaced"  # (六)
    OTHER = "other"  # (七)


class FreezeGrounds(enum.StrEnum):
    """K5 (SN P art48)."""

    ORDERED = "ordered"  # (一) 省市有关单位明确要求
    NO_CURRENT_DEMAND = "no_current_demand"  # (二) 目前已无业务需求,但后续存在重启可能
    SEASONAL_IDLE = "seasonal_idle"  # (三) 每年固定时间使用,且停用周期超过4个月
