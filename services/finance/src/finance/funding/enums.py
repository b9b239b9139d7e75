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


class LineStatus(enum.StrEnum):
    """A funding line is open until closed at year end (its surplus returned, I5)."""

    OPEN = "open"
    CLOSED = "closed"


class EntryKind(enum.StrEnum):
    """Kinds of ledger entries."""

    ALLOCATION = "allocation"  # the line's first money
    ADJUSTMENT = "adjustment"  # a later increase or cut by finance
    PAYMENT = "payment"  # a treasury payment (I5)
    SURPLUS_RETURN = "surplus_return"  # returned at closing (I5)
    REVERSAL = "reversal"  # undoes one earlier entry
