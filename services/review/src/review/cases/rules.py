"""Pure rules of review: each returns a decision naming its rule and the profile's article."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile
from review.cases.enums import Track

WAN = Decimal(10_000)  # profile amounts are in 万元; ours are in yuan


def review_track(profile: PolicyProfile, total_investment: Decimal) -> tuple[Track, Decision]:
    """D2: technical review at or above the profile's threshold, filing only below it."""
    if profile.applies("D2"):
        threshold = profile.figure("D2", "review_threshold_wan")
        if total_investment >= threshold * WAN:
            return Track.TECHNICAL_REVIEW, Decision.allow(
                profile,
                "D2",
                f"total investment at or above {threshold}万: technical review",
                review_threshold_wan=threshold,
            )
        return Track.FILING, Decision.allow(
            profile,
            "D2",
            f"total investment below {threshold}万: filing only",
            review_threshold_wan=threshold,
        )
    # No filing threshold in this jurisdiction: the data bureau's first review (D1) covers all.
    rule = "D1" if profile.applies("D1") else "D2"
    return Track.TECHNICAL_REVIEW, Decision.allow(
        profile, rule, "no filing-only threshold in this profile: every project is reviewed"
    )
