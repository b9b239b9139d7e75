"""Pure rules of changes: the route of an adjustment (F1, F2, F3), a major change (F1-F3), a delay
(F3, F4) and a termination (F5), as each profile's articles give it."""

from decimal import ROUND_DOWN, Decimal

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
        # 不超过: compared with the exact share, never a rounded one (15% of 1000000.05 is
        # 150000.0075: 150000.01 is over it); shown rounded down to the fen.
        limit = approved_total * cap_ratio
        cap = limit.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
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
        if moved > limit:
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
        return _f3_route(profile, "adjustment")
    return ChangeRoute.APPROVAL, [
        Decision.allow(profile, "F2", "no adjustment rule in this profile: the approver decides")
    ]


def change_route(profile: PolicyProfile, kind: ChangeKind) -> tuple[ChangeRoute, list[Decision]]:
    """The route of a major change, a delay or a termination, as the profile's articles give it.

    Major change: F3 where the profile files it or has the bureau approve it (PDS P art17 报…备案;
    XY art15 核准备案), F2's adjustment procedure (SN P art30 重大调整), or F1's (YY art24: beyond
    the unit's own band, back through approval). Delay: F3 where its article names late delivery
    (PDS P art17 逾期交付), else F4's report to the bureau, which orders rectification or suspends
    construction (SN P art31, YY art22). Termination: F5, by the bureau's opinion and the approver
    (SN P art31) or filed with the bureau, NDRC, finance and audit (PDS P art17). Where no article
    of the profile speaks of the change, the approver decides (the rule cited with no article)."""
    if kind == ChangeKind.TERMINATION:
        return _termination_route(profile)
    if kind == ChangeKind.DELAY:
        return _delay_route(profile)
    return _major_change_route(profile)


def _f3_route(profile: PolicyProfile, what: str) -> tuple[ChangeRoute, list[Decision]]:
    """F3: filed with the data bureau, or approved and filed by it (核准备案)."""
    if profile.figure("F3", "bureau_approves"):
        return ChangeRoute.BUREAU_APPROVAL, [
            Decision.allow(
                profile,
                "F3",
                f"{what}: the data bureau approves and files it (核准备案)",
                bureau_approves=True,
            )
        ]
    return ChangeRoute.FILING, [
        Decision.allow(profile, "F3", f"{what}: filed with the data bureau", bureau_approves=False)
    ]


def _major_change_route(profile: PolicyProfile) -> tuple[ChangeRoute, list[Decision]]:
    if profile.applies("F3"):
        return _f3_route(profile, "major change")
    if profile.applies("F2"):
        return ChangeRoute.APPROVAL, [
            Decision.allow(
                profile,
                "F2",
                "major change: the data bureau gives its disposal opinion (copied to finance), "
                "then the original approver decides",
            )
        ]
    if profile.applies("F1"):
        ratio = profile.figure("F1", "self_adjust_max_ratio")
        return ChangeRoute.APPROVAL, [
            Decision.allow(
                profile,
                "F1",
                "major change: beyond what the unit may adjust itself (total unchanged, at most "
                f"{ratio:%} moved, for one of three reasons): back through approval",
                self_adjust_max_ratio=ratio,
            )
        ]
    return ChangeRoute.APPROVAL, [
        Decision.allow(profile, "F3", "no major-change rule in this profile: the approver decides")
    ]


def _delay_route(profile: PolicyProfile) -> tuple[ChangeRoute, list[Decision]]:
    if profile.applies("F3") and profile.figure("F3", "covers_late_delivery"):
        return _f3_route(profile, "late delivery")
    if profile.applies("F4"):
        return ChangeRoute.FILING, [
            Decision.allow(
                profile,
                "F4",
                "delay reported to the data bureau; a serious delay leads it to order "
                "rectification or suspend construction",
            )
        ]
    return ChangeRoute.APPROVAL, [
        Decision.allow(profile, "F4", "no delay rule in this profile: the approver decides")
    ]


def _termination_route(profile: PolicyProfile) -> tuple[ChangeRoute, list[Decision]]:
    if not profile.applies("F5"):
        return ChangeRoute.APPROVAL, [
            Decision.allow(
                profile, "F5", "no termination rule in this profile: the approver decides"
            )
        ]
    if profile.figure("F5", "approver_decides"):
        return ChangeRoute.APPROVAL, [
            Decision.allow(
                profile,
                "F5",
                "termination: the data bureau gives its opinion (copied to finance), then the "
                "original approver decides",
                approver_decides=True,
            )
        ]
    return ChangeRoute.FILING, [
        Decision.allow(
            profile,
            "F5",
            "termination: ended under the law and filed with the data bureau, NDRC, finance and "
            "audit",
            approver_decides=False,
        )
    ]
