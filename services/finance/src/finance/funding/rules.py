"""Pure rules of funding: each returns a decision naming its rule and the profile's article."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile


def funding_after_approval(profile: PolicyProfile) -> Decision:
    """I1 (or, where a profile has no I1, the approval chain of D7): funds follow the review."""
    rule = "I1" if profile.applies("I1") else "D7"
    return Decision.allow(profile, rule, "the data bureau reviewed and approved the project")


def om_after_evaluation(
    profile: PolicyProfile, grade: str | None, override_reason: str | None
) -> Decision | None:
    """H2: the performance evaluation decides the next O&M funds. A failed evaluation refuses
    them unless the finance officer states why they are opened anyway (an important basis, not
    a bar: 重要依据)."""
    if not profile.applies("H2"):
        return None
    if grade is None:
        return Decision.allow(profile, "H2", "no performance evaluation is recorded yet")
    if grade != "fail":
        return Decision.allow(
            profile, "H2", f"the last performance evaluation: {grade}", grade=grade
        )
    if override_reason:
        return Decision.allow(
            profile,
            "H2",
            f"the last performance evaluation failed; opened on the officer's reason: "
            f"{override_reason}",
            grade=grade,
        )
    return Decision.refuse(
        profile,
        "H2",
        "the last performance evaluation failed: O&M funds need a written reason "
        "(evaluation_override_reason)",
        grade=grade,
    )


def surplus_returned(profile: PolicyProfile, surplus: Decimal) -> Decision:
    """I5: funds are earmarked; what is left at closing goes back to the treasury."""
    return Decision.allow(
        profile, "I5", "the line's surplus is returned to the treasury", surplus=surplus
    )
