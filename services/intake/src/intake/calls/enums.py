"""Enumerations of demand calls."""

import enum


class Listing(enum.StrEnum):
    """How a filed demand enters the project list (B1; YY art7's 50万 line)."""

    LISTED = "listed"  # 列入项目清单, individually
    FILED = "filed"  # 报备 only
