"""Pure rules of review: each returns a decision naming its rule and the profile's article."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile
from review.cases.enums import Capacity, ChainStep, ChecklistItem, Track

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


def track_on_resubmission(
    profile: PolicyProfile,
    total_investment: Decimal,
    *,
    previous_track: Track,
    previous_total: Decimal,
    round_: int,
) -> tuple[Track, Decision]:
    """D2 again for a round resubmitted with new figures: the track follows the resubmitted total
    investment, as it would for a first submission of that amount, either way (filing up to
    technical review, or down). The decision names the round and both amounts."""
    track, first = review_track(profile, total_investment)
    moved = (
        f"the case stays on {track.value}"
        if track == previous_track
        else f"the case moves from {previous_track.value} to {track.value}"
    )
    return track, Decision.make(
        profile,
        first.rule_id,
        first.outcome,
        f"round {round_} resubmitted at {total_investment} yuan (was {previous_total}): "
        f"{first.reason}; {moved}",
        **first.figures,
        round=round_,
        total_investment=total_investment,
        previous_total_investment=previous_total,
        track=track.value,
        previous_track=previous_track.value,
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


# D5 grounds no declaration can show (SN P art19(二) item 5's second half, 6, 7, 9): the
# bureau's reviewer judges them and raises one on a case with a written reason.
JUDGED_GROUNDS: dict[str, tuple[int, str]] = {
    # ground: (D5 item, what the ground says)
    "no_collaborative_office": (
        5,
        "a non-classified office or decision-support project not joined to the unified "
        "collaborative office platform",
    ),
    "unclear_needs_or_goals": (
        6,
        "needs or performance goals unclear, or internal integration, the data catalogue census, "
        "data sharing or information security not in place",
    ),
    "not_shared_infrastructure": (
        7,
        "infrastructure, an application support platform or data resources not built, shared "
        "and used in common",
    ),
    "data_security_unmet": (
        9,
        "does not meet data security requirements, the national security laws or the "
        "secure-and-reliable policies",
    ),
}


def d5_item(ground: str) -> int | None:
    """The D5 item a ground is, whether declared or judged (None for D8's own ground)."""
    if ground in JUDGED_GROUNDS:
        return JUDGED_GROUNDS[ground][0]
    return GROUNDS[ground][1] if ground in GROUNDS else None


def judged_ground(profile: PolicyProfile, ground: str, reason: str) -> Decision:
    """A reviewer's judged D5 ground (a JUDGED_GROUNDS key, on a profile with D5) as the refusal
    it records: D5 with its item, the reviewer's written reason after what the item says."""
    item, what = JUDGED_GROUNDS[ground]
    return Decision.refuse(
        profile, "D5", f"{what} (item {item}): {reason}", ground=ground, item=item
    )


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


# The rules the pre-checks enforce, in the order a missing declaration cites them.
PRE_CHECK_RULES = ("D5", "D8", "A1")


def pre_checks_have_run(profile: PolicyProfile, track: Track, declared: bool) -> Decision | None:
    """A technical-review case is approved only after the pre-checks have run, i.e. after the
    project's attributes were declared (PUT /v1/cases/{id}/attributes): undeclared, the refusal
    cites the first pre-check rule the profile has (D5, else D8, else A1). A filing-only case
    (D2) and a profile with none of these rules need no declaration."""
    if track != Track.TECHNICAL_REVIEW or declared:
        return None
    for rule in PRE_CHECK_RULES:
        if profile.applies(rule):
            return Decision.refuse(
                profile,
                rule,
                "the project's attributes were never declared, so the pre-checks have not run: "
                "declare them (PUT /v1/cases/{id}/attributes) before an approving conclusion",
                missing="attributes",
            )
    return None


D4_ITEMS = (
    ChecklistItem.MANDATORY_REQUIREMENTS,
    ChecklistItem.RESOURCE_SHARING,
    ChecklistItem.TECHNICAL_ROUTE,
    ChecklistItem.TECHNOLOGY_TRENDS,
    ChecklistItem.SECURITY_AND_OM,
    ChecklistItem.IMPLEMENTATION_PLAN,
    ChecklistItem.IMPLEMENTATION_CONDITIONS,
    ChecklistItem.PERFORMANCE_GOALS,
)
# D3 (SN P art23(二)): what the security and the secrecy offices each give an opinion on.
D3_ITEMS = {
    Capacity.SECURITY: (ChecklistItem.INFORMATION_SECURITY,),
    Capacity.SECRECY: (
        ChecklistItem.SECURE_AND_RELIABLE,
        ChecklistItem.ELECTRONIC_RECORDS,
        ChecklistItem.CRYPTO_COMPLIANCE,
    ),
}


def opinion_completeness(profile: PolicyProfile, capacity: Capacity, items: set[str]) -> Decision:
    """An opinion must assess every item its capacity answers for: experts the D4 review
    content, the security and secrecy offices their D3 items (where the profile has them)."""
    rule, required = ("D4", D4_ITEMS) if capacity == Capacity.EXPERT else ("D3", D3_ITEMS[capacity])
    if not profile.applies(rule):
        return Decision.allow(profile, rule, "no mandatory checklist in this profile")
    missing = [i.value for i in required if i.value not in items]
    if missing:
        return Decision.refuse(
            profile,
            rule,
            f"a {capacity.value} opinion must assess: {', '.join(missing)}",
            missing=missing,
        )
    return Decision.allow(profile, rule, f"the {capacity.value} opinion covers every item")


def joint_review_complete(
    profile: PolicyProfile, track: Track, capacities: set[Capacity]
) -> list[Decision]:
    """Refusals while the opinions an approving conclusion rests on are missing: in a joint
    review (D3) the experts, the security and the secrecy offices; with a pool (D6) the drawn
    experts. A filing-only case needs none."""
    if track != Track.TECHNICAL_REVIEW:
        return []
    refusals = []
    if profile.applies("D3"):
        for capacity, who in (
            (Capacity.EXPERT, "experts or a third-party agency"),
            (Capacity.SECURITY, "the cybersecurity office and police (information security)"),
            (Capacity.SECRECY, "the secrecy bureau (secure-and-reliable, e-records, crypto)"),
        ):
            if capacity not in capacities:
                refusals.append(
                    Decision.refuse(
                        profile, "D3", f"no opinion yet from {who} in this round", missing=capacity
                    )
                )
    elif profile.applies("D6") and Capacity.EXPERT not in capacities:
        refusals.append(
            Decision.refuse(
                profile, "D6", "no opinion yet from the drawn experts or agency in this round"
            )
        )
    return refusals


CHAIN_ORDER = (ChainStep.BUREAU_OPINION, ChainStep.NDRC_APPROVAL, ChainStep.INVESTMENT_REVIEW)


def chain_step(profile: PolicyProfile, step: ChainStep, stage: str | None) -> tuple[bool, Decision]:
    """D7: the NDRC approves only after the bureau's approving opinion, and finance reviews the
    investment only after the NDRC approval. Out of order, the decision refuses citing D7; where
    the profile has no D7 the order still holds, and the caller answers with a state conflict."""
    before = CHAIN_ORDER[CHAIN_ORDER.index(step) - 1]
    if (
        step is ChainStep.NDRC_APPROVAL
        and profile.applies("D7")
        and not profile.figure("D7", "ndrc_needs_bureau_review")
    ):
        # Every profile applying D7 says whether the NDRC waits for the bureau's opinion; the
        # built-ins all say it does (WH art12: 不予立项 without the review; PDS P art10, SN P
        # art14-15, YY art10 run the chain in order), an operator's may say it does not.
        return True, Decision.allow(
            profile, "D7", f"{step.value} does not wait for {before.value} in this jurisdiction"
        )
    if stage == before.value:
        return True, Decision.allow(profile, "D7", f"{before.value} recorded: {step.value} follows")
    reason = f"{step.value} needs {before.value} first (the chain stands at {stage or 'none'})"
    if profile.applies("D7"):
        return False, Decision.refuse(profile, "D7", reason, stage=stage, needs=before)
    return False, Decision.allow(profile, "D7", reason)


def suspension(profile: PolicyProfile) -> Decision | None:
    """F4 (SN P art31, YY art22): on a serious delay or major loss the bureau orders rectification
    or suspends construction (暂停项目建设). None where the profile has no F4."""
    if not profile.applies("F4"):
        return None
    return Decision.hold(
        profile, "F4", "construction suspended by the data bureau (serious delay or major loss)"
    )
