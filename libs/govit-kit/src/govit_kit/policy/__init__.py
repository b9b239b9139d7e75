"""Policy profiles: rules per jurisdiction with articles and figures; decisions; working days."""

from .calendar import (
    SHANGHAI,
    CalendarYearUnknown,
    Count,
    WorkingCalendar,
    calendar_for,
    month_in_china,
    provisional_holidays,
)
from .decision import Decision, Outcome, RuleNotApplicable, RuleViolation
from .profile import (
    BUILTIN_CODES,
    RULE_IDS,
    CalendarOverride,
    MissingFigure,
    PolicyError,
    PolicyProfile,
    ProfileInvalid,
    RuleEntry,
    UnknownProfile,
    UnknownRule,
    builtin_profiles,
    load_profile,
)

__all__ = [
    "BUILTIN_CODES",
    "RULE_IDS",
    "SHANGHAI",
    "CalendarOverride",
    "CalendarYearUnknown",
    "Count",
    "Decision",
    "MissingFigure",
    "Outcome",
    "PolicyError",
    "PolicyProfile",
    "ProfileInvalid",
    "RuleEntry",
    "RuleNotApplicable",
    "RuleViolation",
    "UnknownProfile",
    "UnknownRule",
    "WorkingCalendar",
    "builtin_profiles",
    "month_in_china",
    "provisional_holidays",
    "calendar_for",
    "load_profile",
]
