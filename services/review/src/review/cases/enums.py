"""Enumerations of review cases."""

import enum


class Track(enum.StrEnum):
    """D2: a full technical review, or filing only below the profile's threshold."""

    TECHNICAL_REVIEW = "technical_review"
    FILING = "filing"


class CaseStatus(enum.StrEnum):
    """Where a case stands."""

    OPEN = "open"
    CONCLUDED = "concluded"


class Conclusion(enum.StrEnum):
    """D3: the data bureau's conclusion."""

    APPROVE = "approve"
    APPROVE_AFTER_REVISION = "approve_after_revision"
    REJECT = "reject"


class PreCheckStatus(enum.StrEnum):
    """Where a pre-check stands."""

    RAISED = "raised"  # blocks an approving conclusion
    CLEARED = "cleared"  # the declared attributes no longer raise it
    OVERRULED = "overruled"  # a reviewer set it aside with a written reason
