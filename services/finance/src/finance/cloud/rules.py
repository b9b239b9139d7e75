"""Who pays a cloud bill line (L9) and what happens to idle-capacity fees (L11)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR, Decimal

from finance.cloud.enums import Payer, ServiceMode, UnitFundingType, UnitLevel
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Assessed:
    """A recorded period's assessment (L18): its stored score and whether it passed, decided on
    the exact mean when it was recorded."""

    score: Decimal
    passed: bool


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


INTERVAL = "provider_assessment_interval_months"


def assessment_periods(profile: PolicyProfile) -> int | None:
    """L18: how many assessment periods a year the profile's cadence makes (12 / its
    provider_assessment_interval_months: 4 for SN's quarterly 每季度), or None where the profile
    sets no cadence (PDS C art21 only says providers are supervised and assessed)."""
    if INTERVAL not in profile.rule("L18").figures:
        return None
    months = profile.figure("L18", INTERVAL)
    if months < 1 or 12 % months:
        raise ValueError(f"profile {profile.name}: L18 {INTERVAL} must divide 12, not {months}")
    return 12 // months


def month_end(year: int, month: int) -> datetime:
    """The first instant after a month in China: the month has ended once this has come."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 1, tzinfo=SHANGHAI)


def assessment_period_end(profile: PolicyProfile, year: int, period: int) -> datetime:
    """When an assessment period has ended in China: the end of its last month at the profile's
    cadence (Q4 of SN's 每季度: December). Where the profile sets none (PDS C art21) the bureau
    numbers its periods 1-12 itself, so period n ends no earlier than month n: that bound."""
    periods = assessment_periods(profile)
    months = 12 // periods if periods else 1
    return month_end(year, min(period * months, 12))


def assessment_score(mean: Decimal) -> Decimal:
    """The score stored and shown for a period (L18): the mean of its aspects rounded down to the
    hundredth, so a mean below the pass mark (79.998 under 80.00) never reads as passing."""
    return mean.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


def assessment(profile: PolicyProfile, mean: Decimal, pass_mark: Decimal) -> Decision:
    """L18: a period whose mean score is below the contract's standard is a breach; where the
    profile ties assessments to the annual settlement (a cadence), it is settled at year end. The
    exact mean decides, never a rounded one (79.998 is below 80.00)."""
    figures = dict(mean=mean, score=assessment_score(mean), pass_mark=pass_mark)
    if mean < pass_mark:
        if assessment_periods(profile) is None:
            why = "below the contract's standard: recorded (not tied to the annual settlement)"
        else:
            why = "below the contract's standard: withheld at the settlement"
        return Decision.flag(profile, "L18", why, **figures)
    return Decision.allow(profile, "L18", "meets the contract's standard", **figures)


def annual_settlement(
    profile: PolicyProfile,
    monthly: dict[int, Decimal],
    scores: dict[int, Assessed],
    pass_mark: Decimal,
    penalty_ratio: Decimal,
) -> tuple[Decimal, list[Decision]]:
    """L18: the year's payables to a provider (by month, 1-12) against its assessments (by
    period). Where the profile sets a cadence, the settlement needs every period assessed and each
    period that failed its assessment loses the contract's share of its payables; where it sets
    none, the assessments are on record only and the year settles on its payables. A period fails
    as its assessment decided (`passed`, on the exact mean), never by comparing the stored,
    rounded score again. Returns (penalty, decisions)."""
    periods = assessment_periods(profile)
    if periods is None:
        failed = sorted(p for p, a in scores.items() if not a.passed)
        return ZERO, [
            Decision.allow(
                profile,
                "L18",
                "the profile sets no assessment cadence and does not tie assessments to the "
                "annual settlement: the year's payables are settled, the assessments stay on record",
                assessed_periods=sorted(scores),
                failed_periods=failed,
            )
        ]
    months = 12 // periods
    payable: dict[int, Decimal] = {p: ZERO for p in range(1, periods + 1)}
    for month, amount in monthly.items():
        payable[(month - 1) // months + 1] += amount
    missing = [p for p in range(1, periods + 1) if p not in scores]
    if missing:
        return ZERO, [
            Decision.refuse(
                profile,
                "L18",
                f"periods {missing} of {periods} (every {months} months) are not assessed; "
                "the settlement follows the assessments",
                missing_periods=missing,
                interval_months=months,
            )
        ]
    penalty, decisions = ZERO, []
    for p in range(1, periods + 1):
        if not scores[p].passed:
            cut = (payable[p] * penalty_ratio).quantize(Decimal("0.01"))
            penalty += cut
            decisions.append(
                Decision.flag(
                    profile,
                    "L18",
                    f"period {p} failed its assessment (scored {scores[p].score}, below "
                    f"{pass_mark}): {cut} withheld",
                    period=p,
                    score=scores[p].score,
                    interval_months=months,
                    payable=payable[p],
                    penalty_ratio=penalty_ratio,
                    penalty=cut,
                )
            )
    if not decisions:
        decisions.append(
            Decision.allow(profile, "L18", f"every period (every {months} months) met the standard")
        )
    return penalty, decisions
