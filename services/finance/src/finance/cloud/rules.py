"""Who pays a cloud bill line (L9) and what happens to idle-capacity fees (L11)."""

from dataclasses import dataclass
from decimal import Decimal

from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from govit_kit.policy import Decision, PolicyProfile

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Split:
    """A line split: the payer of its base, what the unit pays itself, what is cut."""

    payer: Payer
    payer_amount: Decimal  # paid by `payer` (city or county finance, or the unit)
    unit_amount: Decimal  # extra the unit bears itself (L11), on top
    deducted: Decimal  # cut from the provider's bill (L11)
    decisions: list[Decision]


def payer(
    profile: PolicyProfile,
    level: UnitLevel,
    funding: UnitFundingType,
    local_finance_pays: bool,
    mode: ServiceMode,
) -> tuple[Payer, Decision]:
    """L9: city-level fully funded units' general (普通) and managed (托管) services are paid by city finance,
    dedicated by the unit; partly funded and self-funded units pay everything; counties and parks
    by their own finance or the unit, as their funding order says."""
    if not profile.applies("L9"):
        return Payer.UNIT, Decision.allow(profile, "L9", "the profile sets no payer: the unit pays")
    if level is UnitLevel.CITY:
        if funding is UnitFundingType.FULL and mode is not ServiceMode.DEDICATED:
            who, why = Payer.CITY_FINANCE, f"city-level fully funded unit, {mode.value} service"
        elif funding is UnitFundingType.FULL:
            who, why = Payer.UNIT, "dedicated cloud service is paid by the unit"
        else:
            who, why = Payer.UNIT, f"a {funding.value}-funded unit pays all its cloud services"
    else:
        who = Payer.COUNTY_FINANCE if local_finance_pays else Payer.UNIT
        why = f"{level.value} unit: its funding order says {who.value} pays"
    return who, Decision.allow(profile, "L9", why, payer=who, mode=mode)


def split_line(
    profile: PolicyProfile,
    *,
    amount: Decimal,
    idle_extra: Decimal,
    refused_rightsizing: bool,
    payer_and_decision: tuple[Payer, Decision],
) -> Split:
    """L11: fees for unused capacity are cut from the provider's bill, unless the unit refused
    right-sizing without good reason: then the unit bears them itself."""
    who, l9 = payer_and_decision
    decisions = [l9]
    if idle_extra == 0 or not profile.applies("L11"):
        return Split(who, amount, ZERO, ZERO, decisions)
    base = amount - idle_extra
    if refused_rightsizing:
        decisions.append(
            Decision.flag(
                profile,
                "L11",
                "the unit refused right-sizing: it bears the idle-capacity fees itself",
                idle_extra=idle_extra,
            )
        )
        if who is Payer.UNIT:
            return Split(who, amount, ZERO, ZERO, decisions)
        return Split(who, base, idle_extra, ZERO, decisions)
    decisions.append(
        Decision.flag(
            profile, "L11", "idle-capacity fees cut from the provider's bill", idle_extra=idle_extra
        )
    )
    return Split(who, base, ZERO, idle_extra, decisions)


@dataclass(frozen=True)
class Quarter:
    """One quarter of a provider's year: what its bills made payable and its assessment."""

    quarter: int
    payable: Decimal
    score: Decimal | None  # None: not assessed


def assessment(profile: PolicyProfile, score: Decimal, pass_mark: Decimal) -> Decision:
    """L18: a quarter scoring below the contract's standard is a breach, settled at year end."""
    figures = dict(score=score, pass_mark=pass_mark)
    if score < pass_mark:
        return Decision.flag(
            profile, "L18", "below the contract's standard: withheld at the settlement", **figures
        )
    return Decision.allow(profile, "L18", "meets the contract's standard", **figures)


def annual_settlement(
    profile: PolicyProfile, quarters: list[Quarter], pass_mark: Decimal, penalty_ratio: Decimal
) -> tuple[Decimal, list[Decision]]:
    """L18: the annual settlement needs every quarter assessed; each quarter below the standard
    loses the contract's share of its payables. Returns (penalty, decisions)."""
    missing = [q.quarter for q in quarters if q.score is None]
    if missing:
        return ZERO, [
            Decision.refuse(
                profile,
                "L18",
                f"quarters {missing} are not assessed; the settlement follows the assessments",
                missing_quarters=missing,
            )
        ]
    penalty, decisions = ZERO, []
    for q in quarters:
        if q.score < pass_mark:
            cut = (q.payable * penalty_ratio).quantize(Decimal("0.01"))
            penalty += cut
            decisions.append(
                Decision.flag(
                    profile,
                    "L18",
                    f"quarter {q.quarter} scored {q.score}, below {pass_mark}: {cut} withheld",
                    quarter=q.quarter,
                    payable=q.payable,
                    penalty_ratio=penalty_ratio,
                    penalty=cut,
                )
            )
    if not decisions:
        decisions.append(Decision.allow(profile, "L18", "every quarter met the standard"))
    return penalty, decisions
