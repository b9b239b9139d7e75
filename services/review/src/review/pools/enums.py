"""Enumerations of the expert and agency pools (专家库、专业机构库)."""

import enum


class Pool(enum.StrEnum):
    """D6: the expert pool or the third-party agency pool."""

    EXPERT = "expert"
    AGENCY = "agency"


class AssignmentStatus(enum.StrEnum):
    """A drawn member's place on a case."""

    ACTIVE = "active"
    DECLINED = "declined"  # replaced by a recorded redraw


class DrawKind(enum.StrEnum):
    """The first draw for a case, or a redraw replacing a member who declined."""

    INITIAL = "initial"
    REDRAW = "redraw"
