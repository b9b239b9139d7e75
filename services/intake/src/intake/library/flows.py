"""Use cases of the library and the annual plan; they emit the library's and plan's events."""

from sqlalchemy import select

from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, RuleRefused
from govit_kit.idempotency import check_if_match
from govit_kit.policy import Decision, PolicyProfile
from govit_kit.uow import UnitOfWork
from intake.calls.models import DemandCall
from intake.library import rules, service
from intake.library.enums import BaselineField, PlanStatus
from intake.library.models import AnnualPlan, LibraryEntry, PlanItem, Rebaseline
from intake.library.schemas import ActualsUpdate, BaselineUpdate, PlanCreate, PlanItemCreate
from intake.orgs import service as orgs
from intake.projects.enums import ProjectStatus
from intake.projects.models import Project

# The data bureau keeps the library and the plan (B3; SN P art16-17, YY art8).
KEEPERS = (Role.BUREAU_REVIEWER,)


async def enter_library(*, uow: UnitOfWork, project: Project) -> LibraryEntry:
    """An approved project enters the library (B3), its estimate the first planned cost."""
    row = await uow.session.get(LibraryEntry, project.id)
    if row is not None:
        return row
    row = LibraryEntry(
        project_id=project.id, org_id=project.org_id, planned_cost=project.total_investment
    )
    uow.session.add(row)
    await uow.session.flush()
    await uow.emit(
        "project",
        "entered_library",
        events_pb2.ProjectEnteredLibrary(
            project_id=project.id,
            org_id=project.org_id,
            total_investment=to_money(project.total_investment),
            entered_at=to_timestamp(row.entered_at),
        ),
        subject=project.id,
        org_id=project.org_id,
        project_id=project.id,
    )
    return row


def _start_not_after_end(row: LibraryEntry, sent: dict, start: str, end: str) -> None:
    """422 when the start would fall after the end: the values sent, each missing side taken
    from the stored entry. It names the end when it was sent, else the start."""
    first = sent[start] if start in sent else getattr(row, start)
    last = sent[end] if end in sent else getattr(row, end)
    if first is not None and last is not None and first > last:
        field = end if end in sent else start
        raise InvalidInput(field, f"{start} {first} is after {end} {last}")


async def set_baseline(
    *, uow: UnitOfWork, who: Principal, project_id: str, data: BaselineUpdate, if_match: str | None
) -> LibraryEntry:
    """Set planned values; changing one already set is a rebaseline, kept with its reason."""
    who.require(*KEEPERS)
    row = await service.entry(session=uow.session, project_id=project_id, who=who)
    check_if_match(if_match, row.version)
    sent = {key: getattr(data, key) for key in data.model_fields_set}
    _start_not_after_end(row, sent, "planned_start", "planned_end")
    changes = []
    for field in BaselineField:
        if field.value not in data.model_fields_set:
            continue
        old, new = getattr(row, field.value), getattr(data, field.value)
        if new is None:
            raise InvalidInput(field.value, "a planned value cannot be cleared")
        if old is not None and old != new:
            changes.append((field.value, old, new))
        setattr(row, field.value, new)
    if changes and not data.reason:
        raise InvalidInput("reason", "changing a planned value (a rebaseline) needs a reason")
    for field, old, new in changes:
        uow.session.add(
            Rebaseline(
                project_id=row.project_id,
                field=field,
                old_value=str(old),
                new_value=str(new),
                reason=data.reason,
                changed_by=who.subject,
            )
        )
        await uow.emit(
            "project",
            "rebaselined",
            events_pb2.ProjectRebaselined(
                project_id=row.project_id,
                org_id=row.org_id,
                field=field,
                old_value=str(old),
                new_value=str(new),
                reason=data.reason,
                changed_by=to_actor(who),
            ),
            subject=row.project_id,
            org_id=row.org_id,
            project_id=row.project_id,
        )
    await uow.session.flush()
    return row


async def report_actuals(
    *, uow: UnitOfWork, who: Principal, project_id: str, data: ActualsUpdate
) -> LibraryEntry:
    """The unit (or the bureau) records actual cost and dates."""
    who.require(Role.UNIT_STAFF, *KEEPERS)
    row = await service.entry(session=uow.session, project_id=project_id, who=who)
    sent = {key: getattr(data, key) for key in data.model_fields_set}
    _start_not_after_end(row, sent, "actual_start", "actual_end")
    for key in data.model_fields_set:
        setattr(row, key, getattr(data, key))
    await uow.session.flush()

    def iso(d) -> str:
        return d.isoformat() if d else ""

    await uow.emit(
        "project",
        "actuals_reported",
        events_pb2.ProjectActualsReported(
            project_id=row.project_id,
            org_id=row.org_id,
            planned_cost=to_money(row.planned_cost),
            planned_start=iso(row.planned_start),
            planned_end=iso(row.planned_end),
            actual_cost=to_money(row.actual_cost) if row.actual_cost is not None else None,
            actual_start=iso(row.actual_start),
            actual_end=iso(row.actual_end),
            reported_by=to_actor(who),
            reported_at=to_timestamp(utcnow()),
        ),
        subject=row.project_id,
        org_id=row.org_id,
        project_id=row.project_id,
    )
    return row


async def create_plan(*, uow: UnitOfWork, who: Principal, data: PlanCreate) -> AnnualPlan:
    """Open the annual plan of a year, as a draft."""
    who.require(*KEEPERS)
    if await uow.session.get(AnnualPlan, data.year) is not None:
        raise Conflict(f"the plan for {data.year} exists")
    now = utcnow()
    plan = AnnualPlan(
        year=data.year, status=PlanStatus.DRAFT.value, created_by=who.subject, created_at=now
    )
    uow.session.add(plan)
    await uow.session.flush()
    await uow.emit(
        "annual_plan",
        "opened",
        events_pb2.AnnualPlanOpened(
            plan_year=plan.year, opened_by=to_actor(who), opened_at=to_timestamp(now)
        ),
        subject=str(plan.year),
    )
    return plan


async def answered_call(
    uow: UnitOfWork, profile: PolicyProfile, project: Project, year: int, emergency: bool
) -> Decision | None:
    """B1: where the bureau opened a demand call for the year, only the demands filed under it
    join that year's plan; an emergency (A3) joins outside it. A year with no call has no
    such bar (the bureau chose not to collect)."""
    if not profile.applies("B1") or emergency:
        return None
    call = await uow.session.scalar(select(DemandCall).where(DemandCall.plan_year == year))
    if call is None or project.demand_call_id == call.id:
        return None
    return Decision.refuse(
        profile,
        "B1",
        f"the project was not filed under the {year} demand call; outside it only an emergency "
        "(A3) joins the plan",
        demand_call_id=call.id,
    )


async def deferral(
    uow: UnitOfWork, profile: PolicyProfile, org_id: str, emergency: bool
) -> Decision | None:
    """J1: the unit's investment plan is deferred while one of its orders escalated to
    暂缓安排投资计划 is open (review's events; see intake.orgs)."""
    if emergency or not profile.applies("J1"):
        return None
    rows = await orgs.open_deferrals(session=uow.session, org_id=org_id)
    return rules.deferral_decision(
        profile,
        org_id=org_id,
        orders=[(r.order_id, r.sanction) for r in rows],
        emergency=emergency,
    )


async def add_item(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, year: int, data: PlanItemCreate
) -> PlanItem:
    """Put a library project on the plan with its B4 priority type and reason; after adoption,
    only as an emergency with its approving document (A3). The plan's row is locked, so an
    adoption running at the same time waits and lists this item, or went first and this
    addition is checked as one after adoption."""
    who.require(*KEEPERS)
    plan = await service.plan(session=uow.session, year=year, lock=True)
    project = await uow.session.get(Project, data.project_id)
    if project is None:
        raise InvalidInput("project_id", "no such project")
    entry = await uow.session.get(LibraryEntry, project.id)
    if entry is None or project.status != ProjectStatus.APPROVED:
        # B3 (the library) and B2 (the plan), each cited where the profile applies it.
        raise Conflict(
            profile.cite("only approved projects in the library join the plan", "B3", "B2")
            + f"; this one is {project.status}",
            state=project.status,
        )
    if data.emergency and not profile.applies("A3"):
        # Without A3 the profile gives emergencies no route: the flag would skip B1 and J1 on
        # no article.
        raise InvalidInput(
            "emergency",
            f"profile {profile.name} has no emergency route to the annual plan (A3 does not "
            "apply): add the project as an ordinary item",
        )
    adopted = plan.status == PlanStatus.ADOPTED
    refusals = rules.plan_item_refusals(
        profile,
        priority_type=data.priority_type,
        plan_adopted=adopted,
        emergency=data.emergency,
        document_reference=data.document_reference,
    )
    if (answered := await answered_call(uow, profile, project, year, data.emergency)) is not None:
        refusals.append(answered)
    if (deferred := await deferral(uow, profile, project.org_id, data.emergency)) is not None:
        refusals.append(deferred)
    if refusals:
        raise RuleRefused(refusals)
    if adopted and not data.emergency:
        raise Conflict(f"the plan for {year} is adopted")
    item = await uow.session.scalar(
        select(PlanItem).where(PlanItem.plan_year == year, PlanItem.project_id == project.id)
    )
    if item is not None and item.left_out is None:
        raise Conflict("the project is already on this plan")
    if item is None:
        item = PlanItem(plan_year=year, project_id=project.id)
        uow.session.add(item)
    # A project the adoption left out (J1) comes back as this emergency addition (A3): its row
    # is the year's one row of the project, now on the plan. The log keeps the way there (its
    # first item_added, the adoption without it, this item_added).
    item.org_id = project.org_id
    item.priority_type = data.priority_type.value if data.priority_type else None
    item.reason = data.reason
    item.emergency = data.emergency
    item.document_reference = data.document_reference
    item.added_by, item.added_at = who.subject, utcnow()
    item.left_out = None
    await uow.session.flush()
    await uow.emit(
        "annual_plan",
        "item_added",
        events_pb2.PlanItemAdded(
            plan_year=year,
            project_id=project.id,
            org_id=project.org_id,
            priority_type=item.priority_type or "",
            reason=item.reason,
            emergency=item.emergency,
            document_reference=item.document_reference or "",
            added_by=to_actor(who),
            plan_adopted=adopted,
        ),
        subject=str(year),
        org_id=project.org_id,
        project_id=project.id,
    )
    return item


async def adopt(
    *, uow: UnitOfWork, who: Principal, profile: PolicyProfile, year: int
) -> AnnualPlan:
    """Adopt the plan: its projects may now be funded (B2); later additions are emergencies.
    The plan's row is locked first, so the event lists every item added before it (finance's
    I2 reads the list) and none is added to the draft behind it. An item of a unit whose
    investment plan is deferred (J1) is left out, with the J1 decision on it: adopting is the
    arranging that 暂缓安排投资计划 defers (an emergency, A3, stays)."""
    who.require(*KEEPERS)
    plan = await service.plan(session=uow.session, year=year, lock=True)
    if plan.status == PlanStatus.ADOPTED:
        raise Conflict(f"the plan for {year} is already adopted")
    plan.status, plan.adopted_by, plan.adopted_at = PlanStatus.ADOPTED.value, who.subject, utcnow()
    items = list(
        await uow.session.scalars(
            select(PlanItem).where(PlanItem.plan_year == year).order_by(PlanItem.added_at)
        )
    )
    ids = []
    for item in items:
        decision = await deferral(uow, profile, item.org_id, item.emergency)
        if decision is None:
            ids.append(item.project_id)
        else:
            item.left_out = decision.to_dict()
    await uow.session.flush()
    await uow.emit(
        "annual_plan",
        "adopted",
        events_pb2.AnnualPlanAdopted(plan_year=year, project_ids=ids, adopted_by=to_actor(who)),
        subject=str(year),
    )
    return plan
