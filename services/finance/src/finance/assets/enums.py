"""Enumerations of asset registration."""

import enum


class AssetClass(enum.StrEnum):
    """What kind of state-owned asset a project formed (SN P art11)."""

    FIXED = "fixed"  # 固定资产
    INTANGIBLE = "intangible"  # 无形资产 (software copyright, data assets, ...)
