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
