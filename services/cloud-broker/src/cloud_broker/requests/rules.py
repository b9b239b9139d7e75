"""Pure rules of resource requests: each returns a decision naming its rule and the profile's article."""

from __future__ import annotations

import calendar as _cal
from datetime import date, datetime

from govit_kit.policy import SHANGHAI, Decision, PolicyProfile, WorkingCalendar, calendar_for

# L2: what every application carries (PDS C art8; SN C art11): name -> what it is.
BASE_MATERIALS = {
    "responsible_person": "责任人及联系方式",
    "scale_and_goals": "建设规模和目标",
    "architecture": "系统架构和技术标准",
    "resource_needs": "计算、网络、数据库等资源需求",
    "data_sharing": "数据资源和共享",
    "integration": "与现有系统的整合",
    "security": "安全保障",
    "om_plan": "运维方案",
}
# SN C art11 adds these three.
SN_MATERIALS = {
    "system_plan": "应用系统建设方案",
    "self_test_report": "应用系统性能和安全自测报告",
    "confirmation_form": "政务云资源申请确认表",
}


def project_reference(
    profile: PolicyProfile, project_status: str | None, new_system: bool = True
) -> Decision | None:
    """L2: a request for a new system attaches its project's approval (checked with intake).

    Only a new system does (SN C art12: 新建应用系统 ... 提交应用系统项目立项批文; PDS C art8
    lists no approval at all): a migrated or existing system states its past usage instead
    (L5, `past_usage`) and is allowed whatever its project's status, or with none.

    None where the profile has no cloud regulation (no L2): the flow then still requires an
    approved project of the unit for a new system, as a plain check of the reference
    (docs/ARCHITECTURE.md).
    """
    if not profile.applies("L2"):
        return None
    if not new_system:
        return Decision.allow(
            profile,
            "L2",
            "not a new system: no project approval is attached (only new systems attach one)",
            project_status=project_status,
        )
    if project_status is None:
        return Decision.refuse(
            profile, "L2", "the request names no project of the applicant unit", project_status=None
        )
    if project_status != "approved":
        return Decision.refuse(
            profile,
            "L2",
            f"the project is {project_status}, not approved",
            project_status=project_status,
        )
    return Decision.allow(profile, "L2", "the project is approved", project_status=project_status)


def required_materials(profile: PolicyProfile) -> dict[str, str]:
    """The materials L2 requires in this jurisdiction (none where L2 does not apply)."""
    if not profile.applies("L2"):
        return {}
    figures = profile.rule("L2").figures
    extra = SN_MATERIALS if figures.get("system_plan_selftest_confirmation_required") else {}
    return {**BASE_MATERIALS, **extra}


def materials_complete(profile: PolicyProfile, materials: dict[str, str]) -> Decision | None:
    """L2: refuse a request whose materials miss any the profile requires, naming them."""
    required = required_materials(profile)
    if not required:
        return None
    missing = [name for name in required if not str(materials.get(name, "")).strip()]
    if missing:
        return Decision.refuse(
            profile,
            "L2",
            "materials missing: " + ", ".join(f"{m} ({required[m]})" for m in missing),
            missing=missing,
        )
    return Decision.allow(profile, "L2", "the required materials are attached")


def past_usage(profile: PolicyProfile, new_system: bool, materials: dict[str, str]) -> Decision:
    """L5: a migrated system states its past server usage so allocation follows real need."""
    if new_system or str(materials.get("past_usage", "")).strip():
        return Decision.allow(profile, "L5", "sized by need")
    if not profile.applies("L5"):
        return Decision.allow(profile, "L5", "no allocation rule in this jurisdiction")
    return Decision.refuse(
        profile,
        "L5",
        "a migrated system must state its past usage (materials.past_usage)",
        missing=["past_usage"],
    )


def county_first(profile: PolicyProfile, county_unit: bool, county_reviewed: bool) -> Decision:
    """L3: a county unit's request is reviewed by its county authority before the city accepts."""
    if not county_unit or not profile.applies("L3"):
        return Decision.allow(profile, "L3", "not a county unit's request")
    if not county_reviewed:
        return Decision.refuse(
            profile, "L3", "a county unit's request needs the county authority's review first"
        )
    return Decision.allow(profile, "L3", "the county authority reviewed it first")


def county_reviews_changes_and_exits(profile: PolicyProfile) -> bool:
    """L3: whether a county unit's change and exit applications, like its requests, go through
    its county authority first (PDS C art13: 县(市、区)使用单位变更、退出申请流程,参照本办法第八条
    第一款规定执行). Every profile that applies L3 says so either way (figure
    `county_reviews_changes_and_exits`); SN C art15-16 send them to the bureau directly."""
    if not profile.applies("L3"):
        return False
    return bool(profile.figure("L3", "county_reviews_changes_and_exits"))


def county_first_operation(
    profile: PolicyProfile, county_unit: bool, county_reviewed: bool, what: str
) -> Decision:
    """L3: the bureau decides a county unit's change or exit (`what`) only after its county
    authority reviewed it, where the profile has the county review them."""
    if not county_unit:
        return Decision.allow(profile, "L3", f"not a county unit's {what}")
    if not county_reviews_changes_and_exits(profile):
        return Decision.allow(profile, "L3", f"a county unit's {what} goes to the bureau directly")
    if not county_reviewed:
        return Decision.refuse(
            profile, "L3", f"a county unit's {what} needs the county authority's review first"
        )
    return Decision.allow(profile, "L3", f"the county authority reviewed the {what} first")


def dedicated_plan(profile: PolicyProfile, service_mode: str, plan_approved: bool) -> Decision:
    """L8: a 专享 request needs its construction plan approved by the cloud administrators."""
    if service_mode != "dedicated" or not profile.applies("L8"):
        return Decision.allow(profile, "L8", "no plan approval needed in this mode")
    if not plan_approved:
        return Decision.refuse(profile, "L8", "a 专享 (dedicated) request needs its plan approved")
    return Decision.allow(profile, "L8", "the 专享 plan is approved")


def l11_year(at: datetime) -> int:
    """L11's year (SN C art14: no resource requests of the unit are taken "本年度") at an
    instant: the year under way in China (Asia/Shanghai). One rule for both ends: a mark is
    for the year in which the refusal is established (the ruling, or the bureau's own mark),
    and a request is refused by the mark of the year it is filed, approved or expanded in.
    Never the finding's month: December is classified only in January, when that year is over;
    never UTC: 20:00 UTC on 31 December is already 1 January in China."""
    return at.astimezone(SHANGHAI).year


def unit_marked(profile: PolicyProfile, marked_year: int | None, year: int) -> Decision:
    """L11: a unit that refused right-sizing without good reason gets no approvals that year."""
    if marked_year is None or marked_year != year or not profile.applies("L11"):
        return Decision.allow(profile, "L11", "the unit is not marked this year")
    return Decision.refuse(
        profile,
        "L11",
        f"the unit refused a right-sizing plan without good reason in {year}; "
        "no new resources this year",
        year=year,
    )


def quota(
    profile: PolicyProfile,
    scope: str,
    sku: str,
    limit: int,
    committed: int,
    requested: int,
) -> Decision | None:
    """L5: committed (approved, not yet provisioned, and provisioned) plus requested within quota.

    None where L5 does not apply (wuhai, yunyang, xianyang have no cloud regulation): a quota
    the bureau set there is its administrative limit, not a rule, and the flow checks it as
    plain input (`quota_excess`, a 422 naming `items`), never as an L5 refusal."""
    if not profile.applies("L5"):
        return None
    figures = {"scope": scope, "sku": sku, "limit": limit, "committed": committed}
    figures["requested"] = requested
    excess = quota_excess(scope, sku, limit, committed, requested)
    if excess is None:
        return Decision.allow(profile, "L5", f"{sku} within the {scope} quota", **figures)
    return Decision.refuse(profile, "L5", excess, **figures)


def quota_excess(scope: str, sku: str, limit: int, committed: int, requested: int) -> str | None:
    """How committed plus requested goes past a quota, in words; None within it."""
    if committed + requested <= limit:
        return None
    return (
        f"{sku}: {committed} committed + {requested} requested exceeds the {scope} quota of {limit}"
    )


def working_days_due(
    profile: PolicyProfile,
    calendar: WorkingCalendar,
    rule_id: str,
    figure: str,
    start: datetime,
    what: str,
) -> Decision | None:
    """A deadline of `figure` working days after start (None where the profile sets none)."""
    if not profile.applies(rule_id):
        return None
    days = profile.rule(rule_id).figures.get(figure)
    if days is None:
        return None
    due = calendar.add_working_days(start, int(days))
    note = calendar.provisional_note(start, due)
    return Decision.deadline(
        profile,
        rule_id,
        f"{what} within {days} working days",
        due=due,
        working_days=days,
        counted_from=start,
        **({"calendar": note} if note else {}),
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def exit_application(profile: PolicyProfile, stopped_use_on: date, applied_on: date) -> Decision:
    """L7: apply to exit within the profile's months of stopping use; a late unit is flagged
    (reported to audit and finance). The last day on a rest day moves to the next working day
    (民法典 art 203)."""
    months = (
        profile.rule("L7").figures.get("apply_within_months") if profile.applies("L7") else None
    )
    if months is None:
        return Decision.allow(profile, "L7", "no exit application deadline in this jurisdiction")
    due, note = calendar_for(profile).last_day(add_months(stopped_use_on, int(months)))
    moved = f" ({note})" if note else ""
    if applied_on <= due:
        return Decision.allow(
            profile, "L7", f"applied within {months} month(s) of stopping use{moved}", due=due
        )
    return Decision.flag(
        profile,
        "L7",
        f"applied after {due}, more than {months} month(s) after stopping use on {stopped_use_on}"
        f"{moved}; reported to audit and finance",
        due=due,
        stopped_use_on=stopped_use_on,
    )


def transition_due(profile: PolicyProfile, approved_on: date) -> Decision | None:
    """L7: the transition period for migration and backup after the exit is approved; its last
    day on a rest day moves to the next working day (民法典 art 203)."""
    if not profile.applies("L7"):
        return None
    months = profile.rule("L7").figures.get("transition_months")
    if months is None:
        return None
    due, note = calendar_for(profile).last_day(add_months(approved_on, int(months)))
    what = f"migrate and back up within the {months}-month transition"
    return Decision.deadline(profile, "L7", f"{what}; {note}" if note else what, due=due)


# --- F4, F5: the project a new system's request names (the saga with review) ------------------
#
# A new system's request stands on its project's approval (L2, SN C art12). Review may suspend
# the project's construction (F4) and lift it, or terminate the project (F5); the broker keeps
# what review said (projects/models.py) and its requests follow.


def _day(at: datetime) -> date:
    """The day of an instant in China."""
    return at.astimezone(SHANGHAI).date()


def terminated_reason(project_id: str, terminated_at: datetime) -> str:
    """What a termination means for the project's requests, in words (the plain reason where
    the profile has no F5, and the reason of F5's decisions where it has)."""
    return f"the project {project_id} was terminated on {_day(terminated_at)}"


def project_suspended(
    profile: PolicyProfile, project_id: str, since: datetime | None
) -> Decision | None:
    """F4: while review holds a project's construction suspended, no request for its new system
    is submitted, approved or allocated; the lift resumes them. None where the profile does not
    apply F4 (the flow then refuses plainly, citing no rule)."""
    if not profile.applies("F4"):
        return None
    when = f" since {_day(since)}" if since else ""
    return Decision.refuse(
        profile,
        "F4",
        f"the project {project_id} is suspended{when}: no request for it is submitted, "
        "approved or allocated until the suspension is lifted",
        project_id=project_id,
    )


def project_terminated(
    profile: PolicyProfile, project_id: str, terminated_at: datetime
) -> Decision | None:
    """F5: a terminated project's new system takes no resources: a request for it is not filed,
    submitted, approved or allocated. None where the profile does not apply F5 (plainly then)."""
    if not profile.applies("F5"):
        return None
    return Decision.refuse(
        profile,
        "F5",
        f"{terminated_reason(project_id, terminated_at)}: no request for it is filed, "
        "submitted, approved or allocated",
        project_id=project_id,
        terminated_on=_day(terminated_at),
    )


def termination_ground(
    profile: PolicyProfile, project_id: str, terminated_at: datetime, what: str
) -> Decision | None:
    """F5: the ground of what the platform does to a terminated project's request (`what`: it
    is withdrawn, its order cancelled, its exit owed). None where the profile does not apply F5:
    the step then gives the plain reason (terminated_reason) and cites no rule."""
    if not profile.applies("F5"):
        return None
    return Decision.allow(
        profile,
        "F5",
        f"{terminated_reason(project_id, terminated_at)}: {what}",
        project_id=project_id,
        terminated_on=_day(terminated_at),
    )


def exit_after_termination(
    profile: PolicyProfile, project_id: str, terminated_at: datetime
) -> Decision | None:
    """L7 read with F5: a terminated project's resource is no longer used for it, so its unit
    applies to exit within the profile's months of the termination (SN C art16: 停止使用...一个月
    内提出服务终止申请), the last day on a rest day moving to the next working day (民法典 art
    203). None where the profile sets no such period (no L7, or L7 without months: PDS C art12)."""
    if not profile.applies("L7"):
        return None
    months = profile.rule("L7").figures.get("apply_within_months")
    if months is None:
        return None
    stopped = _day(terminated_at)
    due, note = calendar_for(profile).last_day(add_months(stopped, int(months)))
    # The termination's article beside L7's own (the project is in the figures).
    ground = f", {profile.citation('F5')}" if profile.applies("F5") else ""
    what = (
        f"apply to exit within {months} month(s) of the project's termination on {stopped}{ground}"
    )
    return Decision.deadline(
        profile, "L7", f"{what}; {note}" if note else what, due=due, project_id=project_id
    )


# --- L12: migration of an existing system (SN C art12) ----------------------------------------
#
# 已建系统迁移 ... 对于普通系统迁移不会造成重大影响的需提前通知管理部门和受影响使用单位,对于重要
# 系统迁移会造成重大影响的需向管理部门上报迁移实施方案,经批准后实施迁移. The migration is carried
# out (实施迁移) when the unit deploys its system onto the configured resources (`deploy`): the
# step both duties must precede. Allocation only has the provider configure empty resources.

IMPACTS = ("ordinary", "important")


def migration_impact(
    profile: PolicyProfile, new_system: bool, impact: str | None
) -> Decision | None:
    """L12: an existing system's request declares its migration's impact, ordinary or
    important. None where there is no migration to govern: a new system, or a profile without
    L12 (the flow then refuses a declared impact as a field that means nothing there)."""
    if new_system or not profile.applies("L12"):
        return None
    if impact not in IMPACTS:
        what = "declares no migration impact" if impact is None else f"declares {impact!r}"
        return Decision.refuse(
            profile,
            "L12",
            f"an existing system's migration {what}: migration_impact is one of "
            + ", ".join(IMPACTS),
            field="migration_impact",
        )
    duty = (
        "its migration plan is approved by the bureau before it is deployed"
        if impact == "important"
        else "the bureau and the affected units are told in advance, before it is deployed"
    )
    return Decision.allow(profile, "L12", f"an {impact} migration: {duty}", impact=impact)


def migration_notice(
    profile: PolicyProfile, given_at: datetime, planned_start: datetime
) -> Decision:
    """L12: an ordinary migration's notice comes in advance (提前通知): before its planned start."""
    if planned_start <= given_at:
        return Decision.refuse(
            profile,
            "L12",
            f"the notice comes at {given_at.isoformat()}, not before the planned start "
            f"{planned_start.isoformat()}: an ordinary migration is notified in advance",
            field="planned_start",
        )
    return Decision.allow(
        profile,
        "L12",
        "the bureau and the affected units are told before the planned start",
        planned_start=planned_start,
    )


def migration_ready(
    profile: PolicyProfile, impact: str | None, plan_status: str | None, noticed: bool
) -> Decision | None:
    """L12: the migration is carried out (deployed) only after an important migration's plan is
    approved, or an ordinary migration's notice was given. None (no decision on the deploy) for
    a new system, where L12 does not apply, or for a request filed before the impact was asked
    for."""
    if impact is None or not profile.applies("L12"):
        return None
    if impact == "important":
        if plan_status == "approved":
            return Decision.allow(profile, "L12", "the important migration's plan is approved")
        state = {
            None: "no migration plan is submitted",
            "submitted": "the migration plan is not yet approved",
            "refused": "the migration plan was refused",
        }.get(plan_status, f"the migration plan is {plan_status}")
        return Decision.refuse(
            profile,
            "L12",
            f"{state}: an important migration is carried out only after the bureau approves "
            "its plan",
            plan_status=plan_status,
        )
    if not noticed:
        return Decision.refuse(
            profile,
            "L12",
            "no advance notice: an ordinary migration first tells the bureau and the affected "
            "units",
        )
    return Decision.allow(profile, "L12", "the ordinary migration was notified in advance")
