"""Enumerations of organisations (units)."""

import enum


class OrgLevel(enum.StrEnum):
    """Where a unit sits: the city, a county (县/市/区) or a park (市直园区); C6 forwards the last two."""

    CITY = "city"
    COUNTY = "county"
    PARK = "park"


class FundingClass(enum.StrEnum):
    """How a unit is funded (资金保障序列); decides who pays for cloud (L9)."""

    FULL = "full"  # 全额保障
    PARTIAL = "partial"  # 差额保障
    SELF_FUNDED = "self_funded"  # 自收自支
    STATE_OWNED_ENTERPRISE = "state_owned_enterprise"  # 国有企业


class FundingGround(enum.StrEnum):
    """A ground on which finance refuses O&M funds (I3) that also bars the unit's new projects
    where the profile says so (figure `bars_new_projects`)."""

    NOT_SHARING_DATA = "not_sharing_data"  # 未按要求共享数据资源 (YY art28)
    COLLECTS_TWICE = "collects_twice"  # 重复采集数据 (YY art28)
    NOT_INTEGRATED = "not_integrated"  # 应整合而未整合 (YY art30)


class Deferral(enum.StrEnum):
    """J1's 暂缓安排投资计划 (SN P art37, YY art32), shown among a unit's grounds."""

    INVESTMENT_DEFERRED = "investment_deferred"


# Review's J1 ladder (`rectification.escalated`'s `sanction`): 通报批评, 暂缓安排投资计划,
# 暂停项目建设, 终止. The ladder climbs, it does not swap one sanction for the next: from the
# second step on, while the order is open, the unit's investment plan stays deferred.
DEFERRING_SANCTIONS = frozenset({"investment_deferred", "construction_suspended", "terminated"})
