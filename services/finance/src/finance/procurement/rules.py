"""Pure rules of procurement and contracts (E1-E6); figures come from the profile only."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from finance.money import wan_to_yuan
from finance.procurement.enums import TENDERS, ProcurementCategory, ProcurementMethod
from govit_kit.policy import Decision, Outcome, PolicyProfile


@dataclass(frozen=True)
class Ban:
    """A contractor's ban: [banned_from, banned_until)."""

    banned_from: date
    banned_until: date

    def active_on(self, day: date) -> bool:
        return self.banned_from <= day < self.banned_until


def procurement_method(
    profile: PolicyProfile,
    amount: Decimal,
    method: ProcurementMethod,
    *,
    project_total: Decimal,
    total_basis: str = "submitted",
) -> Decision:
    """E1: procurement under the law; where the profile sets a tender line, above it only a
    tender. The profile's measured_on says what the line is compared with: the project's total
    investment (XY art11: 项目投资超过100万元的, so every purchase of such a project is tendered)
    or the single purchase. The project's total is its approved one where there is one
    (`total_basis` "approved"), else the submitted one ("submitted"); the figures say which."""
    figures = profile.rule("E1").figures
    if profile.applies("E1") and "tender_above_wan" in figures:
        threshold = wan_to_yuan(figures["tender_above_wan"])
        measured_on = profile.figure("E1", "measured_on")
        on_project = measured_on == "project_investment"
        measured = project_total if on_project else amount
        facts = dict(
            amount=amount,
            project_total=project_total,
            project_total_basis=total_basis,
            measured_on=measured_on,
            tender_above=threshold,
        )
        if measured > threshold and method not in TENDERS:
            what = (
                f"the project invests {project_total} yuan ({total_basis} total), above "
                f"{threshold}: its purchases"
                if on_project
                else f"a procurement of {amount} yuan, above {threshold},"
            )
            return Decision.refuse(
                profile,
                "E1",
                f"{what} must be tendered, not {method.value}",
                method=method,
                **facts,
            )
        why = (
            "the method suits the project's investment"
            if on_project
            else "the method suits the amount"
        )
        return Decision.allow(profile, "E1", why, **facts)
    return Decision.allow(profile, "E1", "procured under the Government Procurement Law")


def unit_buys_cloud(profile: PolicyProfile, category: ProcurementCategory) -> Decision | None:
    """L10: where it applies, units do not buy government cloud services themselves: the data
    bureau buys them, settles and pays (PDS C art6: 市级使用单位不再另行采购政务云服务; SN C art5:
    市直各部门不再购买政务云可提供的计算、存储、支撑软件等基础软硬件资源, art6). Every procurement
    finance records is a project's, so a unit's: one of cloud services is refused. Other
    categories are not L10's concern (None), nor is anything where L10 does not apply."""
    if not profile.applies("L10") or category is not ProcurementCategory.CLOUD_SERVICES:
        return None
    return Decision.refuse(
        profile,
        "L10",
        "a unit does not buy government cloud services itself: the data bureau buys them, "
        "settles and pays; the unit applies for cloud resources",
        category=category,
    )


def ban_end(profile: PolicyProfile, banned_from: date) -> date | None:
    """E2: the first free day after a ban (`banned_until`, exclusive: Ban.active_on) where the
    profile sets its length in years (None: no figure): the same day that many years later.
    From 29 February, whose year then has none, the ban runs through the end of February (民法典
    art 202: 没有对应日的，月末日为期间的最后一日) and the contractor is free from 1 March."""
    years = profile.rule("E2").figures.get("blacklist_years")
    if years is None:
        return None
    try:
        return banned_from.replace(year=banned_from.year + years)
    except ValueError:  # 29 February: banned through 28 February, free from 1 March
        return date(banned_from.year + years, 3, 1)


def last_banned_day(banned_until: date) -> date:
    """The last day a ban holds (`banned_until` is the first free day)."""
    return banned_until - timedelta(days=1)


def contractor_eligible(
    profile: PolicyProfile, qualifications: list[str], bans: list[Ban], on: date
) -> Decision:
    """E2: only a qualified contractor that is not banned on that day may be awarded."""
    if not profile.applies("E2"):
        return Decision.allow(profile, "E2", "the profile keeps no qualification or blacklist rule")
    active = [b for b in bans if b.active_on(on)]
    if active:
        until = max(b.banned_until for b in active)
        last = last_banned_day(until)
        return Decision.refuse(
            profile,
            "E2",
            f"the contractor is blacklisted: last banned day {last.isoformat()}, free from "
            f"{until.isoformat()}",
            banned_until=until,
            last_banned_day=last,
            on=on,
        )
    if not qualifications:
        return Decision.refuse(profile, "E2", "the contractor has no recorded qualification")
    return Decision.allow(profile, "E2", "the contractor is qualified and not banned", on=on)


@dataclass(frozen=True)
class Exemption:
    """The data bureau's written exemption of one project from supervision (E6)."""

    id: str
    reason: str
    document: str
    recorded_by: str


def exemption_allowed(profile: PolicyProfile) -> Decision:
    """E6 (where it applies): whether its article leaves the data bureau room to exempt a
    project from supervision in writing. The profile's `exemption_allowed` says so: SN P art29
    asks for supervision 原则上 (in principle), so the bureau may make an exception; YY art20
    (实行工程监理制 ... 应当委托工程监理单位) asks it of every project, so it may not. A profile that
    sets no figure gets the article's plain requirement: no exemption."""
    if profile.rule("E6").figures.get("exemption_allowed", False):
        return Decision.allow(
            profile,
            "E6",
            "the article asks for supervision in principle (原则上): the data bureau may exempt "
            "a project in writing",
            exemption_allowed=True,
        )
    return Decision.refuse(
        profile,
        "E6",
        "the article asks for supervision without exception: no project can be exempted from it",
        exemption_allowed=False,
    )


def _supervision(
    profile: PolicyProfile,
    *,
    project_total: Decimal,
    total_basis: str,
    supervisor: str | None,
    exemption: Exemption | None,
) -> Decision:
    """E6: a supervisor at or above the threshold, unless the data bureau exempted the project
    in writing where the profile's article allows an exemption (`exemption_allowed`)."""
    threshold = wan_to_yuan(profile.figure("E6", "supervision_threshold_wan"))
    figures = dict(
        project_total=project_total,
        project_total_basis=total_basis,
        supervision_threshold=threshold,
    )
    if supervisor or project_total < threshold:
        why = "supervised" if supervisor else "below the supervision threshold"
        return Decision.allow(profile, "E6", why, **figures)
    needs = (
        f"a project of {project_total} yuan ({total_basis} total, at or above {threshold}) "
        "needs supervision"
    )
    if exemption is None:
        return Decision.refuse(profile, "E6", needs, **figures)
    if exemption_allowed(profile).outcome is not Outcome.ALLOW:
        return Decision.refuse(
            profile,
            "E6",
            f"{needs}; the article allows no exemption, so exemption {exemption.document} is "
            "not honoured",
            exemption_id=exemption.id,
            **figures,
        )
    return Decision.allow(
        profile,
        "E6",
        f"not supervised: the data bureau exempted the project in writing ({exemption.document}, "
        f"recorded by {exemption.recorded_by}): {exemption.reason}",
        exemption_id=exemption.id,
        exemption_document=exemption.document,
        exemption_reason=exemption.reason,
        exemption_recorded_by=exemption.recorded_by,
        **figures,
    )


def contract_terms(
    profile: PolicyProfile,
    *,
    project_total: Decimal,
    warranty_months: int,
    free_om_months: int,
    copyright_to_government: bool,
    data_assets_to_government: bool,
    supervisor: str | None,
    principal_leader_heads: bool = False,
    bureau_expert_in_working_group: bool = False,
    total_basis: str = "submitted",
    exemption: Exemption | None = None,
) -> list[Decision]:
    """E4 (warranty, free O&M), E5 (copyright, data assets), E6 (supervision, or the data
    bureau's written `exemption` where the article allows one), E7 (a major project's
    leadership): each decision. E6 and E7 measure the project's total investment (SN P art29
    项目总投资, XY art10 总投资): the approved one where there is one (`total_basis` "approved"),
    else the submitted one; their figures say which."""
    decisions = []
    if profile.applies("E4"):
        figures = profile.rule("E4").figures
        failed = []
        for name, months in (("warranty", warranty_months), ("free_om", free_om_months)):
            years = figures.get(f"{name}_min_years")
            if years is not None and months < years * 12:
                failed.append(f"{name} {months} months is under {years * 12}")
        mins = {k: v for k, v in figures.items() if k.endswith("_min_years")}
        if failed:
            decisions.append(Decision.refuse(profile, "E4", "; ".join(failed), **mins))
        else:
            decisions.append(Decision.allow(profile, "E4", "warranty and free O&M suffice", **mins))
    if profile.applies("E5"):
        missing = [
            name
            for name, given in (
                ("software copyright", copyright_to_government),
                ("data assets", data_assets_to_government),
            )
            if not given
        ]
        if missing:
            decisions.append(
                Decision.refuse(
                    profile,
                    "E5",
                    f"the contract must assign {' and '.join(missing)} to the government",
                )
            )
        else:
            decisions.append(Decision.allow(profile, "E5", "copyright and data assets assigned"))
    if profile.applies("E6"):
        decisions.append(
            _supervision(
                profile,
                project_total=project_total,
                total_basis=total_basis,
                supervisor=supervisor,
                exemption=exemption,
            )
        )
    if profile.applies("E7"):
        # "总投资100万元以上": 以上 includes the figure (the profile's note).
        threshold = wan_to_yuan(profile.figure("E7", "major_project_threshold_wan"))
        figures = dict(
            project_total=project_total,
            project_total_basis=total_basis,
            major_project_threshold=threshold,
        )
        missing = [
            what
            for ok, what in (
                (principal_leader_heads, "the unit's principal leader must head the project"),
                (bureau_expert_in_working_group, "the working group needs the bureau's expert"),
            )
            if not ok
        ]
        if project_total >= threshold and missing:
            decisions.append(Decision.refuse(profile, "E7", "; ".join(missing), **figures))
        else:
            decisions.append(Decision.allow(profile, "E7", "leadership as required", **figures))
    return decisions


def supplementary(
    profile: PolicyProfile,
    *,
    original: Decimal,
    earlier_supplements: Decimal,
    amount: Decimal,
    adjustment_approved_on: date | None,
    signed_on: date,
    adjustment_amount: Decimal | None = None,
    earlier_on_adjustment: Decimal = Decimal("0"),
) -> Decision:
    """E3: a supplementary contract only after an approved adjustment and within what it
    approved (the supplements it backs together), and all of them together at most the
    profile's share of the original contract (exactly the share is allowed)."""
    if not profile.applies("E3"):
        return Decision.allow(profile, "E3", "the profile sets no cap on supplementary contracts")
    if adjustment_approved_on is None or adjustment_approved_on > signed_on:
        return Decision.refuse(
            profile, "E3", "a supplementary contract needs an adjustment approved before signing"
        )
    if adjustment_amount is not None and earlier_on_adjustment + amount > adjustment_amount:
        backed = earlier_on_adjustment + amount
        return Decision.refuse(
            profile,
            "E3",
            f"the supplements on this adjustment would total {backed} yuan, more than the "
            f"{adjustment_amount} it approved",
            adjustment_amount=adjustment_amount,
            supplements_on_adjustment=backed,
        )
    ratio = profile.figure("E3", "supplementary_cap_ratio")
    # 不得超过: compared with the exact share, never a rounded one (10% of 1234567.75 is
    # 123456.775: 123456.78 is over it); shown rounded down to the fen, so it is never above it.
    limit = original * ratio
    cap = limit.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    total = earlier_supplements + amount
    figures = dict(original=original, cap_ratio=ratio, cap=cap, supplements_total=total)
    if total > limit:
        return Decision.refuse(
            profile,
            "E3",
            f"supplementary contracts would total {total} yuan, over {cap} ({ratio} of {original})",
            **figures,
        )
    return Decision.allow(profile, "E3", "within the cap on supplementary contracts", **figures)
