"""Enumerations of rectification orders (限期整改)."""

import enum


class Finding(enum.StrEnum):
    """What the bureau found (J2's six, crypto, and F4's serious problems)."""

    AGAINST_RULES = "against_rules"  # 违反规定或批复
    NOT_ON_CLOUD = "not_on_cloud"  # 未上云
    NOT_ON_CITY_BRAIN = "not_on_city_brain"  # 未接入城市大脑
    NOT_SHARING_DATA = "not_sharing_data"  # 未共享数据
    SECURITY = "security"  # 网络安全不符合要求
    CRYPTO = "crypto"  # 密码应用不符合要求
    SERIOUS_DELAY = "serious_delay"  # 严重逾期、重大损失 (F4)
    OTHER = "other"


SECURITY_FINDINGS = frozenset({Finding.SECURITY, Finding.CRYPTO})  # J3


class OrderStatus(enum.StrEnum):
    """Where an order stands."""

    OPEN = "open"
    RESOLVED = "resolved"


class Sanction(enum.StrEnum):
    """J1's ladder, in order, once an order is overdue."""

    NOTICE_OF_CRITICISM = "notice_of_criticism"  # 通报批评
    INVESTMENT_DEFERRED = "investment_deferred"  # 暂缓安排投资计划
    CONSTRUCTION_SUSPENDED = "construction_suspended"  # 暂停项目建设
    TERMINATED = "terminated"  # 终止项目实施


LADDER = tuple(Sanction)
# The ladder's last two steps act on the project itself (the case is suspended or terminated).
HALTING = frozenset({Sanction.CONSTRUCTION_SUSPENDED, Sanction.TERMINATED})
