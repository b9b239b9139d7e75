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


# D5 (SN P art19(二)) item numbers of each refusal ground; A1 (cloud first) backs the grounds
# that are about building outside the government cloud where a profile has no D5.
GROUNDS: dict[str, tuple[str, int | None, str | None, str]] = {
    # ground: (rule, D5 item, fallback rule, what the ground says)
    "new_data_centre": (
        "D5",
        1,
        "A1",
        "builds or extends a non-classified machine room, data centre or private cloud",
    ),
    "new_server_hardware": (
        "D5",
        1,
        None,
        "buys non-classified servers, storage or server-side network hardware",
    ),
    "private_lines": (
        "D5",
        2,
        None,
        "leases internet lines or private lines outside the e-government network",
    ),
    "not_on_cloud": (
        "D5",
        3,
        "A1",
        "a non-classified system that is not deployed on the municipal government cloud",
    ),
    "rebuilds_shared_system": (
        "D5",
        4,
        None,
        "builds or extends a shared system (certificates, e-licences, e-seals, payment, "
        "messaging, portals, big-data platforms, ...) the city already provides",
    ),
    "no_data_sharing_commitment": (
        "D5",
        5,
        None,
        "no commitment to join the data sharing and exchange platform",
    ),
    "duplicates_registered_system": (
        "D5",
        8,
        None,
        "duplicates a registered system",
    ),
    "unaccepted_predecessor": (
        "D8",
        None,
        "D5",
        "upgrades a project whose predecessor has not passed acceptance",
    ),
}


def raised_grounds(attrs: dict) -> list[str]:
    """The refusal grounds the declared attributes raise, in GROUNDS order (pure facts, no profile)."""
    classified = bool(attrs.get("classified"))
    hits = {
        # D5 items 1-3 concern non-classified (非涉密) systems only.
        "new_data_centre": attrs.get("new_data_centre") and not classified,
        "new_server_hardware": attrs.get("new_server_hardware") and not classified,
        "private_lines": attrs.get("private_lines"),
        "not_on_cloud": attrs.get("on_government_cloud") is False and not classified,
        "rebuilds_shared_system": attrs.get("rebuilds_shared_system"),
        "no_data_sharing_commitment": attrs.get("data_sharing_commitment") is False,
        "duplicates_registered_system": bool(attrs.get("duplicates_system_id")),
        "unaccepted_predecessor": bool(attrs.get("predecessor_project_id"))
        and attrs.get("predecessor_accepted") is not True,
    }
    return [g for g in GROUNDS if hits[g]]


def pre_checks(profile: PolicyProfile, attrs: dict) -> dict[str, Decision]:
    """D5/D8 pre-checks: each raised ground as a refusal citing the rule the profile has for it
    (D5 with its item, D8 for an unaccepted predecessor, A1 where only cloud-first applies);
    a ground no rule of the profile covers is not raised."""
    out: dict[str, Decision] = {}
    for ground in raised_grounds(attrs):
        rule, item, fallback, what = GROUNDS[ground]
        if profile.applies(rule):
            chosen = rule
        elif fallback and profile.applies(fallback):
            chosen, item = fallback, (8 if fallback == "D5" else None)
        else:
            continue
        where = f" (item {item})" if chosen == "D5" and item else ""
        figures = {"ground": ground} | ({"item": item} if chosen == "D5" and item else {})
        out[ground] = Decision.refuse(profile, chosen, f"{what}{where}", **figures)
    return out
