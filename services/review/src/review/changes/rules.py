"""Pure rules of changes: which route an adjustment takes (F1, F2), filings (F3), termination (F5)."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile
from review.changes.enums import AdjustmentReason, ChangeKind, ChangeRoute

F1_REASONS = frozenset(
    {
        AdjustmentReason.SUPERIOR_ARRANGEMENT,
        AdjustmentReason.PLAN_OPTIMISATION,
        AdjustmentReason.BUSINESS_DEVELOPMENT,
    }
)


def adjustment_route(
    profile: PolicyProfile,
    *,
    approved_total: Decimal,
    new_total: Decimal,
    amount_adjusted: Decimal,
    reason: AdjustmentReason,
) -> tuple[ChangeRoute, list[Decision]]:
    """F1: the unit may decide and file an adjustment that does not increase the total, moves at
    most the profile's share of it (a reduction counts as moved), for one of the three reasons;
    anything else goes back through approval. F2: every adjustment needs the bureau's disposal
    opinion, then the approver."""
    if profile.applies("F1"):
        cap_ratio = profile.figure("F1", "self_adjust_max_ratio")
        cap = (approved_total * cap_ratio).quantize(Decimal("0.01"))
        figures = {
            "self_adjust_max_ratio": cap_ratio,
            "cap": cap,
            "amount_adjusted": amount_adjusted,
            "approved_total": approved_total,
            "new_total": new_total,
        }
        # YY art24: 不增加项目总投资 — the total may not grow; a reduction is money adjusted too,
        # so it counts against the share when it is more than the amount declared.
        moved = max(amount_adjusted, approved_total - new_total)
        problems = []
        if new_total > approved_total:
            problems.append(f"the total increases ({approved_total} -> {new_total})")
        if moved > cap:
            problems.append(f"{moved} adjusted exceeds {cap_ratio:%} of {approved_total} ({cap})")
        if reason not in F1_REASONS:
            problems.append("the reason is not one of F1's three")
        if not problems:
            return ChangeRoute.SELF_DECIDED, [
                Decision.allow(
                    profile,
                    "F1",
                    "total not increased, within the share, for an F1 reason: "
                    "the unit decides and files with NDRC, finance and the data bureau",
                    **figures,
                )
            ]
        return ChangeRoute.APPROVAL, [
            Decision.flag(profile, "F1", "; ".join(problems) + ": back through approval", **figures)
        ]
    if profile.applies("F2"):
        return ChangeRoute.APPROVAL, [
            Decision.allow(
                profile,
                "F2",
                "the data bureau gives its disposal opinion (copied to finance), "
                "then the original approver decides",
            )
        ]
    if profile.applies("F3"):
        return ChangeRoute.FILING, [
            Decision.allow(profile, "F3", "the change is filed with the data bureau")
        ]
    return ChangeRoute.APPROVAL, [
        Decision.allow(profile, "F2", "no adjustment rule in this profile: the approver decides")
    ]


def change_route(profile: PolicyProfile, kind: ChangeKind) -> tuple[ChangeRoute, list[Decision]]:
    """Major changes and delays are filed (F3); a termination goes through the bureau's opinion
    and the approver, and is then filed (F5)."""
    if kind == ChangeKind.TERMINATION:
        rule = "F5"
        reason = (
            "termination: the bureau's opinion, then the approver; filed with NDRC, finance, audit"
        )
    else:
        rule = "F3"
        reason = f"{kind.value}: filed with the data bureau"
    if kind != ChangeKind.TERMINATION:
        return ChangeRoute.FILING, [Decision.allow(profile, rule, reason)]
    return ChangeRoute.APPROVAL, [Decision.allow(profile, rule, reason)]
