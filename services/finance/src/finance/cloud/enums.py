"""Enumerations of cloud bills."""

import enum


class ServiceMode(enum.StrEnum):
    """Cloud service modes (L8, SN C art7), named as cloud-broker names them."""

    GENERAL = "general"  # 普通云服务
    DEDICATED = "dedicated"  # 专享云服务
    MANAGED = "managed"  # 托管服务


class UnitLevel(enum.StrEnum):
    """Where a unit sits."""

    CITY = "city"  # 市本级
    COUNTY = "county"  # 县(市、区)
    PARK = "park"  # 市直园区


class UnitFundingType(enum.StrEnum):
    """A unit's funding guarantee (资金保障)."""

    FULL = "full"  # 全额保障 (党政机关, 参公单位, 全额保障事业单位和团体)
    PARTIAL = "partial"  # 差额保障
    SELF = "self"  # 自收自支


class Payer(enum.StrEnum):
    """Who pays a bill line."""

    CITY_FINANCE = "city_finance"
    COUNTY_FINANCE = "county_finance"  # the county's or park's own finance
    UNIT = "unit"
