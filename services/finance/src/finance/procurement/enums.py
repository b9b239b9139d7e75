"""Enumerations of procurement and contracts."""

import enum


class ProcurementMethod(enum.StrEnum):
    """Methods of the Government Procurement Law (政府采购法 art26) and its rules."""

    PUBLIC_TENDER = "public_tender"  # 公开招标
    INVITED_TENDER = "invited_tender"  # 邀请招标
    COMPETITIVE_NEGOTIATION = "competitive_negotiation"  # 竞争性谈判
    COMPETITIVE_CONSULTATION = "competitive_consultation"  # 竞争性磋商
    SINGLE_SOURCE = "single_source"  # 单一来源
    INQUIRY = "inquiry"  # 询价
    FRAMEWORK = "framework"  # 框架协议


class ProcurementCategory(enum.StrEnum):
    """What a procurement buys. `unspecified` is the default, for clients that do not say."""

    UNSPECIFIED = "unspecified"
    GOODS = "goods"  # 货物
    WORKS = "works"  # 工程
    SERVICES = "services"  # 服务, other than government cloud services
    # 政务云服务: the computing, storage and supporting-software resources the government cloud
    # provides (SN C art5). Units do not buy them themselves where L10 applies.
    CLOUD_SERVICES = "cloud_services"


# The methods that are a tender (招标), for E1's "must be tendered".
TENDERS = frozenset({ProcurementMethod.PUBLIC_TENDER, ProcurementMethod.INVITED_TENDER})
