"""Decisions: every outcome names its rule id and the article of the active profile it rests on."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .profile import PolicyError, PolicyProfile


class Outcome(enum.StrEnum):
    """What a rule decided."""

    ALLOW = "allow"
    REFUSE = "refuse"
    HOLD = "hold"  # funds or a step held until something is done
    FLAG = "flag"  # recorded for a person to look at
    DEADLINE = "deadline"  # a due date was set


class RuleNotApplicable(PolicyError):
    """A refusal, hold, flag or deadline on a rule the profile does not apply (a flow that
    forgot to ask `profile.applies`); REST answers it as a 409 `rule-not-applicable`."""

    def __init__(self, message: str, rule_id: str | None = None) -> None:
        super().__init__(message)
        self.rule_id = rule_id


def _jsonable(value: Any) -> Any:
    """Decimal as string (exact), dates as ISO 8601, containers recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Decision:
    """One rule's outcome and the article it rests on ("" only: allow on a rule not applying)."""

    rule_id: str
    article: str
    outcome: Outcome
    reason: str
    figures: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(
        cls, profile: PolicyProfile, rule_id: str, outcome: Outcome, reason: str, **figures: Any
    ) -> Decision:
        """A decision whose article comes from the profile, never from the calling code."""
        entry = profile.rule(rule_id)
        outcome = Outcome(outcome)
        if not entry.applies:
            # Only "allow" may rest on a rule the jurisdiction does not have.
            if outcome is not Outcome.ALLOW:
                raise RuleNotApplicable(
                    f"rule {rule_id} does not apply in profile {profile.name} ({profile.code}); "
                    f"cannot {outcome.value}",
                    rule_id=rule_id,
                )
            return cls(rule_id, "", outcome, reason, dict(figures))
        return cls(rule_id, entry.article or "", outcome, reason, dict(figures))

    @classmethod
    def allow(cls, profile: PolicyProfile, rule_id: str, reason: str, **figures: Any) -> Decision:
        """The rule lets the action through."""
        return cls.make(profile, rule_id, Outcome.ALLOW, reason, **figures)

    @classmethod
    def refuse(cls, profile: PolicyProfile, rule_id: str, reason: str, **figures: Any) -> Decision:
        """The rule refuses the action."""
        return cls.make(profile, rule_id, Outcome.REFUSE, reason, **figures)

    @classmethod
    def hold(cls, profile: PolicyProfile, rule_id: str, reason: str, **figures: Any) -> Decision:
        """The rule holds funds or a step until a condition is met."""
        return cls.make(profile, rule_id, Outcome.HOLD, reason, **figures)

    @classmethod
    def flag(cls, profile: PolicyProfile, rule_id: str, reason: str, **figures: Any) -> Decision:
        """The rule flags the case for a person."""
        return cls.make(profile, rule_id, Outcome.FLAG, reason, **figures)

    @classmethod
    def deadline(
        cls, profile: PolicyProfile, rule_id: str, reason: str, **figures: Any
    ) -> Decision:
        """The rule sets a deadline (pass it as a figure, e.g. due=...)."""
        return cls.make(profile, rule_id, Outcome.DEADLINE, reason, **figures)

    @property
    def citation(self) -> str:
        """The citation used in messages: RULE (article)."""
        return f"{self.rule_id} ({self.article})" if self.article else self.rule_id

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimal as string, dates as ISO 8601)."""
        return {
            "rule_id": self.rule_id,
            "article": self.article,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "figures": _jsonable(self.figures),
        }


class RuleViolation(PolicyError):
    """Raised with the refusing decisions when an action breaks one or more rules."""

    def __init__(self, decisions: list[Decision]):
        decisions = list(decisions)
        if not decisions or any(d.outcome is not Outcome.REFUSE for d in decisions):
            raise ValueError("RuleViolation needs at least one decision, all of them refusals")
        self.decisions = decisions
        super().__init__("; ".join(f"{d.citation}: {d.reason}" for d in decisions))
