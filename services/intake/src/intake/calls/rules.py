"""B1: the yearly demand call's deadline and the listing line (pure functions of the profile)."""

import calendar
import datetime as dt
from decimal import Decimal

from govit_kit.policy import Decision, MissingFigure, PolicyProfile, calendar_for
from intake.calls.enums import Listing

WAN = Decimal(10000)


def profile_deadline(profile: PolicyProfile, plan_year: int) -> dt.date | None:
    """The last filing day the profile sets for next year's demands (end of a month of the year
    before), or None where the profile sets no date (the bureau then names one)."""
    try:
        month = profile.figure("B1", "demand_deadline_month")
    except MissingFigure:
        return None
    year = plan_year - 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def filing_decision(
    profile: PolicyProfile, *, deadline: dt.date, filed_on: dt.date, plan_year: int
) -> Decision:
    """A demand filed after the call's deadline is refused (B1). A deadline on a rest day (7月底前
    on a Saturday) ends on the next working day (民法典 art 203): the call keeps the day it
    announced (`deadline`), the decision says which day was the last (`last_day`) and why."""
    last, note = calendar_for(profile).last_day(deadline)
    moved = f" ({note})" if note else ""
    if filed_on > last:
        return Decision.refuse(
            profile,
            "B1",
            f"demands for {plan_year} had to be filed by {last.isoformat()}{moved}; "
            f"this one is filed on {filed_on.isoformat()}",
            deadline=deadline,
            last_day=last,
            filed_on=filed_on,
        )
    return Decision.allow(
        profile,
        "B1",
        f"filed by the deadline {last.isoformat()}{moved}",
        deadline=deadline,
        last_day=last,
    )


def listing_of(profile: PolicyProfile, total_investment_yuan: Decimal) -> tuple[Listing, Decision]:
    """Whether a demand is listed individually or only filed (YY art7: at or above 50万 listed)."""
    try:
        line = profile.figure("B1", "individual_listing_threshold_wan")
    except MissingFigure:
        return Listing.LISTED, Decision.allow(profile, "B1", "every demand is listed")
    if total_investment_yuan >= line * WAN:
        return Listing.LISTED, Decision.allow(
            profile, "B1", f"at or above {line}万: listed individually", threshold_wan=line
        )
    return Listing.FILED, Decision.allow(
        profile, "B1", f"below {line}万: filed with the data bureau only", threshold_wan=line
    )
