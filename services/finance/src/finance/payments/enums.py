"""Enumerations of payments."""

import enum


class PaymentStatus(enum.StrEnum):
    """A payment is approved and paid, held until something closes (I4), or refused on release."""

    APPROVED = "approved"
    HELD = "held"
    REFUSED = "refused"


class FindingStatus(enum.StrEnum):
    """An audit finding is open until resolved."""

    OPEN = "open"
    RESOLVED = "resolved"
