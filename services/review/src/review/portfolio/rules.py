"""The portfolio's risk rating, in the spirit of the US federal IT dashboard's CIO ratings
(5 low risk ... 1 high risk). These thresholds are the dashboard's heuristics, not figures of
any regulation, so they live here and not in the policy profiles."""

from dataclasses import dataclass
from decimal import Decimal

COST_VARIANCE_MEDIUM = Decimal("0.10")  # |variance| of the approved total at or above 10%
COST_VARIANCE_HIGH = Decimal("0.30")


@dataclass(frozen=True)
class Signals:
    """What the rating looks at for one project."""

    # (current - planned) / planned: intake's reported actual cost against its planned cost,
    # else the approved adjustments against the first approved estimate (docs/review.md §10).
    cost_variance: Decimal | None
    overdue_items: int  # open orders past their deadline, evaluations past their due date
    open_orders: int
    open_security_orders: int
    max_escalation: int  # steps of the J1 ladder taken on any open order
    # Schedule: deadlines met late (orders resolved, evaluations recorded after their
    # deadline, an actual end after the planned one) and delays filed (F3); the still-open
    # overdue ones are overdue_items.
    met_late: int = 0
    delays: int = 0
    open_findings: int = 0  # audit's open compliance findings on the project


def risk_rating(s: Signals) -> tuple[int, list[str]]:
    """A rating from 5 (low risk) to 1 (high risk), with the reasons it is not 5."""
    score, reasons = 5, []
    if s.cost_variance is not None:
        v = abs(s.cost_variance)
        if v >= COST_VARIANCE_HIGH:
            score, reasons = score - 2, [*reasons, f"cost variance {s.cost_variance:.1%}"]
        elif v >= COST_VARIANCE_MEDIUM:
            score, reasons = score - 1, [*reasons, f"cost variance {s.cost_variance:.1%}"]
    if s.overdue_items:
        score -= min(s.overdue_items, 2)
        reasons.append(f"{s.overdue_items} overdue item(s)")
    if s.open_security_orders:
        score -= 2
        reasons.append(f"{s.open_security_orders} open security/crypto order(s)")
    elif s.open_orders:
        score -= 1
        reasons.append(f"{s.open_orders} open rectification order(s)")
    if s.met_late or s.delays:
        score -= 1
        reasons.append(f"schedule slipped: {s.met_late} deadline(s) met late, {s.delays} delay(s)")
    if s.open_findings:
        score -= 1
        reasons.append(f"{s.open_findings} open audit finding(s)")
    if s.max_escalation >= 2:
        score -= 1
        reasons.append(f"escalated to step {s.max_escalation} of the J1 ladder")
    return max(score, 1), reasons


def risk_level(rating: int) -> str:
    """The dashboard's colour: high (1-2), medium (3), low (4-5)."""
    return "high" if rating <= 2 else "medium" if rating == 3 else "low"
