"""Enumerations of funding."""

import enum


class FundingKind(enum.StrEnum):
    """What a funding line pays for."""

    CONSTRUCTION = "construction"
    OM = "om"  # 运维
    CLOUD = "cloud"


class FundingSource(enum.StrEnum):
    """Where the money comes from."""

    MUNICIPAL_FINANCE = "municipal_finance"
    OWN_INCOME = "own_income"
    UPPER_LEVEL = "upper_level"
