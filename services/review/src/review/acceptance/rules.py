"""Pure rules of acceptance (G1-G6, C2) and of the evaluation due dates (H1)."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from govit_kit.policy import Decision, PolicyProfile, calendar_for
from review.acceptance.enums import Material, ReportRecipient, Stage

WAN = Decimal(10_000)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_after(profile: PolicyProfile, day: date, months: int) -> tuple[date, str]:
    """The last day of a period of `months` from `day`, moved off a rest day to the next working
    day (民法典 art 203), and what a reason adds about it ("" when the day stays). Only a last day
    moves: an earliest day ("not before") is add_months alone."""
    due, note = calendar_for(profile).last_day(add_months(day, months))
    return due, f" ({note})" if note else ""


@dataclass(frozen=True)
class AcceptanceFacts:
    """What the acceptance decision looks at."""

    stage: Stage
    accepted_on: date
    total_investment: Decimal
    trial_run_started_on: date | None = None
    initial_accepted_on: date | None = None  # pingdingshan: the recorded initial acceptance
    completed_on: date | None = None
    applied_on: date | None = None  # G3: the acceptance application to the bureau (YY >= 500万)
    extension_approved: bool = False
    materials: frozenset[str] = frozenset()
    archives_accepted: bool = False
    data_catalog_complete: bool = False  # as intake answered (CheckCatalog)
    project_type: str | None = None  # as intake answered; None: unknown, the catalog is asked
    catalog_refusals: tuple[Decision, ...] = ()  # intake's C2 refusals, when incomplete
    checked: frozenset[str] = frozenset()  # G5 items the acceptance examined
    security_evaluation: str | None = None  # G6: passed, failed, or not stated
    pre_approval_id: str | None = None  # G2: the bureau's granted pre-approval, if any
    pre_approval_granted_on: date | None = None


# G5 (SN P art40, YY art17): what acceptance must examine.
G5_ITEMS = ("secure_and_reliable_products", "crypto_and_security_review", "energy_efficiency")


def trial_run(profile: PolicyProfile, f: AcceptanceFacts) -> Decision:
    """G1: the trial run (or, in pingdingshan, the stable run after initial acceptance)."""
    if not profile.applies("G1"):
        return Decision.allow(profile, "G1", "no trial-run rule in this profile")
    rule = profile.rule("G1").figures
    if "stable_run_before_final_acceptance_months" in rule:
        months = rule["stable_run_before_final_acceptance_months"]
        if f.stage == Stage.SINGLE:
            return Decision.refuse(
                profile, "G1", "acceptance here is initial, then final after a stable run"
            )
        if f.stage == Stage.INITIAL:
            return Decision.allow(profile, "G1", "initial acceptance after the trial launch")
        if f.initial_accepted_on is None:
            return Decision.refuse(profile, "G1", "final acceptance needs the initial one first")
        ready = add_months(f.initial_accepted_on, months)
        if f.accepted_on < ready:
            return Decision.refuse(
                profile,
                "G1",
                f"final acceptance needs {months} months of stable running after the initial "
                f"acceptance of {f.initial_accepted_on}: not before {ready}",
                stable_run_before_final_acceptance_months=months,
                earliest=ready,
            )
        return Decision.allow(profile, "G1", f"{months} stable months since initial acceptance")
    months = profile.figure("G1", "trial_run_min_months")
    if f.stage != Stage.SINGLE:
        return Decision.refuse(profile, "G1", "this profile has one acceptance, not two stages")
    if f.trial_run_started_on is None:
        return Decision.refuse(profile, "G1", "the trial run's start is not stated")
    ready = add_months(f.trial_run_started_on, months)
    if f.accepted_on < ready:
        return Decision.refuse(
            profile,
            "G1",
            f"trial run of at least {months} month(s) from {f.trial_run_started_on}: "
            f"not before {ready}",
            trial_run_min_months=months,
            earliest=ready,
        )
    return Decision.allow(profile, "G1", f"trial run of {months} month(s) done")


def materials_and_timing(profile: PolicyProfile, f: AcceptanceFacts) -> list[Decision]:
    """G3 (YY art25): within half a year of completion (or an approved extension). At or above
    the threshold the unit applies to the bureau within the half year (the application date
    counts, not the acceptance's); below it the unit itself organises the acceptance within
    the half year and files the result. The materials are the same on both sides."""
    if not profile.applies("G3"):
        return []
    out = []
    threshold = profile.figure("G3", "bureau_acceptance_threshold_wan")
    within = profile.figure("G3", "apply_within_months")
    bureau = f.total_investment >= threshold * WAN
    if bureau:
        # An application precedes its acceptance: without its date, the acceptance bounds it.
        step, on = "the application to the bureau", f.applied_on or f.accepted_on
    else:
        step, on = "the unit's acceptance", f.accepted_on
    if f.completed_on is None:
        out.append(Decision.refuse(profile, "G3", "the completion date is not stated"))
    elif (
        on > (deadline := last_day_after(profile, f.completed_on, within))[0]
        and not f.extension_approved
    ):
        out.append(
            Decision.refuse(
                profile,
                "G3",
                f"{step} ({on}) is more than {within} months after completion "
                f"({f.completed_on}) without an approved extension: the last day was "
                f"{deadline[0]}{deadline[1]}",
                apply_within_months=within,
                bureau_acceptance_threshold_wan=threshold,
                deadline=deadline[0],
            )
        )
    missing = [m.value for m in Material if m.value not in f.materials]
    if missing:
        who = (
            f"at or above {threshold}万 the unit applies to the bureau"
            if bureau
            else f"below {threshold}万 the unit organises the acceptance, with the same materials"
        )
        out.append(
            Decision.refuse(
                profile,
                "G3",
                f"{who}; missing: {', '.join(missing)}",
                missing=missing,
                bureau_acceptance_threshold_wan=threshold,
            )
        )
    if not bureau and not out:
        out.append(
            Decision.allow(
                profile,
                "G3",
                f"below {threshold}万: the unit organises the acceptance and files the result "
                "with the data bureau",
                bureau_acceptance_threshold_wan=threshold,
            )
        )
    return out


def acceptance(profile: PolicyProfile, f: AcceptanceFacts) -> list[Decision]:
    """Every decision of an acceptance: G1, G3, G5, G2 (the bureau's pre-approval), G4 (archives
    first), C2 (catalog complete)."""
    out = [trial_run(profile, f), *materials_and_timing(profile, f)]
    if profile.applies("G5"):
        missing = [i for i in G5_ITEMS if i not in f.checked]
        if missing:
            out.append(
                Decision.refuse(
                    profile, "G5", f"acceptance must examine: {', '.join(missing)}", missing=missing
                )
            )
    if profile.applies("G2"):
        out.append(pre_approval(profile, f))
    if profile.applies("G4") and not f.archives_accepted:
        out.append(Decision.refuse(profile, "G4", "the archives are accepted first"))
    if profile.applies("C2"):
        out.extend(catalog(profile, f))
    return out


def catalog(profile: PolicyProfile, f: AcceptanceFacts) -> list[Decision]:
    """C2 at acceptance, read with the profile's figures: the catalog is asked of the project
    types it lists (project_types) once its stage (required_from) is reached, and acceptance is
    the last one. YY art14: every type; WH art15: 新建 projects only (项目验收前). A project whose
    type intake did not report is asked it."""
    types = profile.figure("C2", "project_types")
    if f.project_type is not None and not profile.required_at("C2", "acceptance", f.project_type):
        return [
            Decision.allow(
                profile,
                "C2",
                f"the catalog rule does not cover a {f.project_type} project",
                project_type=f.project_type,
                project_types=types,
            )
        ]
    if not f.data_catalog_complete:
        return list(f.catalog_refusals) or [
            Decision.refuse(profile, "C2", "the data resource catalog must be complete")
        ]
    return [Decision.allow(profile, "C2", "intake holds the data resource catalog complete")]


def pre_approval(profile: PolicyProfile, f: AcceptanceFacts) -> Decision:
    """G2 (SN P art32, art13): after the trial run the unit asks the data bureau for its
    pre-approval (履约验收前置核准); only once it is granted is the project accepted."""
    if f.pre_approval_granted_on is None:
        return Decision.refuse(
            profile,
            "G2",
            "no pre-approval (履约验收前置核准) granted by the data bureau: the unit requests it "
            "after the trial run, and the project is accepted once the bureau grants it",
        )
    if f.accepted_on < f.pre_approval_granted_on:
        return Decision.refuse(
            profile,
            "G2",
            f"the acceptance ({f.accepted_on}) precedes the bureau's pre-approval "
            f"({f.pre_approval_granted_on}): the project is accepted after it",
            pre_approval_id=f.pre_approval_id,
            granted_on=f.pre_approval_granted_on,
        )
    return Decision.allow(
        profile,
        "G2",
        f"the data bureau granted its pre-approval (履约验收前置核准) on "
        f"{f.pre_approval_granted_on}",
        pre_approval_id=f.pre_approval_id,
        granted_on=f.pre_approval_granted_on,
    )


def om_eligibility(profile: PolicyProfile, f: AcceptanceFacts) -> Decision:
    """G6: an accepted system may go into use and receive O&M funds, unless its security
    evaluation failed; where the profile's G6 article makes the evaluation part of acceptance
    (`security_evaluation_required`, XY art17: 安全评测不合格…不得投入使用), only with a passed one."""
    required = profile.figure("G6", "security_evaluation_required")
    if f.security_evaluation == "failed":
        return Decision.refuse(
            profile,
            "G6",
            "the security evaluation failed: the system may not go into use nor receive O&M funds",
            security_evaluation="failed",
        )
    if required and f.security_evaluation != "passed":
        return Decision.refuse(
            profile,
            "G6",
            "no passed security evaluation stated: the system may not go into use nor receive "
            "O&M funds",
            security_evaluation_required=True,
        )
    return Decision.allow(
        profile,
        "G6",
        "accepted"
        + (", security evaluation passed" if f.security_evaluation == "passed" else "")
        + ": may go into use and receive O&M funds",
    )


def evaluation_window(
    profile: PolicyProfile, *, accepted_on: date, went_live_on: date | None
) -> tuple[date | None, date | None, Decision | None]:
    """H1: (earliest, due, decision) of the performance evaluation report."""
    if not profile.applies("H1"):
        return None, None, None
    fig = profile.rule("H1").figures
    if "final_acceptance_to_report_months" in fig:  # PDS
        n = fig["final_acceptance_to_report_months"]
        due, moved = last_day_after(profile, accepted_on, n)
        return (
            None,
            due,
            Decision.deadline(
                profile, "H1", f"within {n} months of final acceptance{moved}", due=due
            ),
        )
    if "go_live_to_report_months" in fig:  # SN
        n = fig["go_live_to_report_months"]
        due, moved = last_day_after(profile, went_live_on or accepted_on, n)
        return (
            None,
            due,
            Decision.deadline(profile, "H1", f"within {n} months of going live{moved}", due=due),
        )
    # YY art27 (通过竣工验收并投入运行后) and XY art19 (竣工验收、经过1年运行后) count from when
    # both have happened: the later of acceptance and going live. A go-live before acceptance
    # (the trial run) does not start the count; acceptance is the floor.
    start = max(accepted_on, went_live_on or accepted_on)
    if "acceptance_to_report_min_months" in fig:  # YY
        lo, hi = fig["acceptance_to_report_min_months"], fig["acceptance_to_report_max_months"]
        earliest = add_months(start, lo)  # a first day: only a last day moves
        due, moved = last_day_after(profile, start, hi)
        return (
            earliest,
            due,
            Decision.deadline(
                profile,
                "H1",
                f"{lo} to {hi} months after acceptance and going into operation ({start}){moved}",
                earliest=earliest,
                due=due,
            ),
        )
    years = fig["operation_before_evaluation_years"]  # XY: after a year of operation, no end
    earliest = add_months(start, 12 * years)
    return (
        earliest,
        None,
        Decision.deadline(
            profile,
            "H1",
            f"after acceptance and {years} year(s) of operation (counted from {start})",
            earliest=earliest,
        ),
    )


def files_acceptance_report(profile: PolicyProfile) -> bool:
    """G7 carries two duties: filing the acceptance report (PDS P art18) and registering the
    assets (XY art20, SN P art11, finance's). The profile's figure says whether this
    jurisdiction has the filing."""
    return profile.applies("G7") and bool(
        profile.rule("G7").figures.get("acceptance_report_filing", False)
    )


def report_filing(
    profile: PolicyProfile,
    *,
    final_accepted_on: date | None,
    filed_on: date,
    recipients: frozenset[str],
) -> list[Decision]:
    """G7 (PDS P art18: 终验完成后,项目单位应将项目验收报告报市政务服务和大数据管理局、市发改委、
    市财政局、市审计局备案): the report is filed after the final acceptance, with all four bodies.
    Refusals first; an allow when none. The article sets no deadline, so none is checked."""
    required = [r.value for r in ReportRecipient]
    refusals = []
    if final_accepted_on is None:
        refusals.append(
            Decision.refuse(
                profile,
                "G7",
                "the acceptance report is filed after the final acceptance (终验完成后), and no "
                "final acceptance is recorded",
            )
        )
    elif filed_on < final_accepted_on:
        refusals.append(
            Decision.refuse(
                profile,
                "G7",
                f"the acceptance report is filed after the final acceptance of "
                f"{final_accepted_on}, not on {filed_on}",
                final_accepted_on=final_accepted_on,
            )
        )
    missing = [r for r in required if r not in recipients]
    if missing:
        refusals.append(
            Decision.refuse(
                profile,
                "G7",
                "the acceptance report is filed with the data bureau, NDRC, finance and audit; "
                f"missing: {', '.join(missing)}",
                missing=missing,
            )
        )
    if refusals:
        return refusals
    return [
        Decision.allow(
            profile,
            "G7",
            "acceptance report filed with the data bureau, NDRC, finance and audit after the "
            f"final acceptance of {final_accepted_on} (the article sets no deadline)",
            final_accepted_on=final_accepted_on,
            recipients=required,
        )
    ]
