"""K1-K5: what a lifecycle action needs (pure functions of the profile)."""

from govit_kit.policy import Decision, MissingFigure, PolicyProfile
from intake.systems.enums import FreezeGrounds


def seasonal_freeze_decision(
    profile: PolicyProfile, grounds: FreezeGrounds, idle_months: int | None
) -> Decision | None:
    """K5 (SN P art48(三)): a seasonal system is frozen when it stands idle more than the
    profile's months a year; None when the grounds are not seasonal or no figure is set."""
    if grounds is not FreezeGrounds.SEASONAL_IDLE or not profile.applies("K5"):
        return None
    try:
        over = profile.figure("K5", "seasonal_idle_over_months")
    except MissingFigure:
        return None
    if idle_months is None or idle_months <= over:
        return Decision.refuse(
            profile,
            "K5",
            f"a seasonal system is frozen only when idle more than {over} months a year "
            f"(stated: {idle_months if idle_months is not None else 'nothing'})",
            seasonal_idle_over_months=over,
        )
    return Decision.allow(profile, "K5", f"idle {idle_months} months a year, more than {over}")
