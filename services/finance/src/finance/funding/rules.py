"""Pure rules of funding: each returns a decision naming its rule and the profile's article."""

from datetime import date
from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile


def funding_after_approval(profile: PolicyProfile) -> Decision:
    """I1 (or, where a profile has no I1, the approval chain of D7): funds follow the review."""
    rule = "I1" if profile.applies("I1") else "D7"
    return Decision.allow(profile, rule, "the data bureau reviewed and approved the project")


def investment_review(
    profile: PolicyProfile,
    *,
    document_number: str,
    approved: Decimal,
    allocated: Decimal,
    cut: Decimal,
    closed_on: date | None,
    booked: Decimal | None = None,
    balance: Decimal | None = None,
) -> Decision:
    """D7: finance's investment review (财政预算评审) fixes the construction line's estimate; an
    allocation above it is cut. A line already closed at year end (its surplus returned) takes no
    entry: the cut it would have had is flagged on it for finance to settle, naming the figures.
    An open line is cut by `booked`, at most its `balance`: payments already made cannot be
    undone by a book entry, so the rest of the cut is flagged the same way."""
    said = f"finance's investment review {document_number} approved an estimate of {approved} yuan"
    figures = {
        "approved_estimate": approved,
        "allocated_before": allocated,
        "document_number": document_number,
    }
    booked = cut if booked is None else booked
    if closed_on is None and cut > booked:
        short = cut - booked
        said += (
            f"; {cut} yuan was allocated above it, but the line holds only {balance} yuan "
            f"(the rest is paid already): {booked} is cut and {short} is not booked"
        )
        more = dict(cut_booked=booked, cut_not_booked=short, balance_before=balance)
        if profile.applies("D7"):
            return Decision.flag(
                profile,
                "D7",
                f"{said}, left to finance (e.g. recovered from the unit, or set against the "
                "project's later construction funds)",
                **figures,
                **more,
            )
        return Decision.allow(profile, "D7", said, **figures, **more)
    if closed_on is not None and cut and profile.applies("D7"):
        return Decision.flag(
            profile,
            "D7",
            f"{said}; {cut} yuan was allocated above it, but the line was closed on {closed_on} "
            "with its surplus returned, so no cut is booked on it: the cut is left to finance "
            "(e.g. on the project's later construction funds)",
            **figures,
            cut_not_booked=cut,
            line_closed_on=closed_on,
        )
    if closed_on is not None and cut:
        said += f"; the line was closed on {closed_on}: the cut of {cut} is not booked on it"
        return Decision.allow(profile, "D7", said, **figures, cut_not_booked=cut)
    return Decision.allow(
        profile, "D7", said + (f"; the line is cut by {cut}" if cut else ""), **figures
    )


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
