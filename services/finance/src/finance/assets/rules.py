"""Pure rules of asset registration (G7's second duty: SN P art11, XY art20)."""

from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile


def registers_assets(profile: PolicyProfile) -> bool:
    """G7 carries two duties: filing the acceptance report (PDS P art18, review's) and
    registering the project's assets (SN P art11, XY art20). The profile's figure says whether
    this jurisdiction has the registration."""
    return profile.applies("G7") and bool(
        profile.rule("G7").figures.get("asset_registration", False)
    )


def registration(profile: PolicyProfile, classes: set[str], total: Decimal) -> Decision:
    """The registration is recorded: an allow naming the article. No deadline is checked: the
    articles set none (XY art20 says 及时, timely, without a number of days)."""
    return Decision.allow(
        profile,
        "G7",
        f"the project's {' and '.join(sorted(classes))} assets registered (no deadline in the "
        "article)",
        classes=sorted(classes),
        total=total,
    )


def unregistered(profile: PolicyProfile) -> Decision:
    """An accepted project without a registration: flagged for a person to look at, never
    overdue, since the articles set no deadline."""
    return Decision.flag(
        profile,
        "G7",
        "accepted, and no asset registration recorded; the article sets no deadline, so none "
        "is counted",
        deadline=None,
    )
