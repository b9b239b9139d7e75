"""Pure rules of funding: each returns a decision naming its rule and the profile's article."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile


def funding_after_approval(profile: PolicyProfile) -> Decision:
    """I1 (or, where a profile has no I1, the approval chain of D7): funds follow the review."""
    rule = "I1" if profile.applies("I1") else "D7"
    return Decision.allow(profile, rule, "the data bureau reviewed and approved the project")


def surplus_returned(profile: PolicyProfile, surplus: Decimal) -> Decision:
    """I5: funds are earmarked; what is left at closing goes back to the treasury."""
    return Decision.allow(
        profile, "I5", "the line's surplus is returned to the treasury", surplus=surplus
    )
