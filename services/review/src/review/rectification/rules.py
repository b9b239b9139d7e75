"""Pure rules of rectification: the order's basis and holds (J1, J2, F4, I4), the ladder (J1),
and the bar on new projects (J3)."""

from datetime import datetime

from govit_kit.policy import Decision, PolicyProfile
from review.rectification.enums import LADDER, SECURITY_FINDINGS, Finding, Sanction


def _first(profile: PolicyProfile, *rule_ids: str) -> str | None:
    return next((r for r in rule_ids if profile.applies(r)), None)


def order_decisions(
    profile: PolicyProfile, finding: Finding, due_at: datetime, calendar_note: str | None = None
) -> tuple[list[Decision], bool]:
    """Why the order stands, its deadline and holds; returns (decisions, blocks new projects)."""
    basis = "F4" if finding == Finding.SERIOUS_DELAY else None
    rule = _first(profile, *(r for r in (basis, "J1", "J2") if r))
    decisions = []
    if rule:
        decisions.append(
            Decision.deadline(
                profile,
                rule,
                f"rectify the finding ({finding.value}) by the deadline",
                due=due_at,
                **({"calendar": calendar_note} if calendar_note else {}),
            )
        )
    else:
        decisions.append(
            Decision.allow(profile, "J1", "the bureau orders rectification (no article here)")
        )
    hold = _first(profile, "I4", "J2")
    if hold:
        decisions.append(
            Decision.hold(profile, hold, "payments held while the rectification is open")
        )
    blocks = finding in SECURITY_FINDINGS and profile.applies("J3")
    if blocks:
        decisions.append(
            Decision.refuse(
                profile,
                "J3",
                "unresolved security or crypto non-compliance: the unit may not start new projects",
            )
        )
    return decisions, blocks


def has_ladder(profile: PolicyProfile) -> bool:
    """J1: whether the profile escalates overdue orders at all (SN P art37, YY art32)."""
    return profile.applies("J1")


def next_sanction(
    profile: PolicyProfile, level: int, due_at: datetime, now: datetime
) -> tuple[Sanction | None, Decision]:
    """J1: an overdue order climbs one step of the ladder; not overdue, or at the top, nothing."""
    rule = "J1"
    if now <= due_at:
        return None, Decision.allow(profile, rule, f"not overdue until {due_at.isoformat()}")
    if level >= len(LADDER):
        return None, Decision.allow(profile, rule, "the ladder's last step is already taken")
    if not has_ladder(profile):
        # The ladder is SN P art37's and YY art32's; elsewhere an overdue order stays open and
        # overdue (WH's I4 hold stands while it is open), and nothing is suspended or ended.
        return None, Decision.allow(profile, rule, "overdue; no escalation ladder in this profile")
    sanction = LADDER[level]
    return sanction, Decision.make(
        profile,
        rule,
        "hold" if sanction != Sanction.NOTICE_OF_CRITICISM else "flag",
        f"overdue since {due_at.isoformat()}: {sanction.value}",
        level=level + 1,
    )


def new_project_gate(profile: PolicyProfile, open_security_orders: int) -> Decision | None:
    """J3: a unit with an open security or crypto order may not start new projects."""
    if open_security_orders and profile.applies("J3"):
        return Decision.refuse(
            profile,
            "J3",
            f"the unit has {open_security_orders} open security/crypto rectification order(s)",
            open_orders=open_security_orders,
        )
    return None
