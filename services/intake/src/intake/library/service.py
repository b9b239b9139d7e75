"""Reading library and plan rows (never commits)."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import Conflict, NotFound
from govit_kit.policy import Decision, PolicyProfile
from intake.library import rules
from intake.library.models import AnnualPlan, LibraryEntry, PlanItem, Rebaseline
from intake.library.schemas import LibraryEntryRead, RebaselineRead, RollingYear
from intake.projects import service as projects


async def entry(*, session: AsyncSession, project_id: str, who: Principal) -> LibraryEntry:
    """A library entry the caller may see."""
    row = await session.get(LibraryEntry, project_id)
    if row is None:
        raise NotFound("project not in the library")
    who.check_owner(row.org_id, PROJECT_READERS, "project")
    return row


async def entry_read(*, session: AsyncSession, row: LibraryEntry) -> LibraryEntryRead:
    """An entry with its variances and rebaselines."""
    history = await session.execute(
        select(Rebaseline)
        .where(Rebaseline.project_id == row.project_id)
        .order_by(Rebaseline.changed_at, Rebaseline.id)
    )
    update: dict = {"rebaselines": [RebaselineRead.model_validate(r) for r in history.scalars()]}
    if row.actual_cost is not None:
        update["cost_variance"] = row.actual_cost - row.planned_cost
    if row.actual_end and row.planned_end:
        update["end_slip_days"] = (row.actual_end - row.planned_end).days
    return LibraryEntryRead.model_validate(row).model_copy(update=update)


def visible_entries(who: Principal):
    """The select of library entries the caller may list."""
    query = select(LibraryEntry).order_by(LibraryEntry.entered_at, LibraryEntry.project_id)
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(LibraryEntry.org_id == scope)


async def plan(*, session: AsyncSession, year: int, lock: bool = False) -> AnnualPlan:
    """The plan of a year; `lock` holds its row (SELECT ... FOR UPDATE) until the transaction
    ends, so an item added and the adoption that lists the items do not interleave."""
    row = await session.get(AnnualPlan, year, with_for_update=lock or None)
    if row is None:
        raise NotFound(f"no annual plan for {year}")
    return row


def visible_plan_items(year: int, who: Principal):
    """The select of a plan's items the caller may see (a unit its own), in the order added."""
    query = (
        select(PlanItem).where(PlanItem.plan_year == year).order_by(PlanItem.added_at, PlanItem.id)
    )
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(PlanItem.org_id == scope)


async def plan_items(*, session: AsyncSession, year: int, who: Principal) -> list[PlanItem]:
    """A plan's items the caller may see (a unit its own)."""
    return list((await session.execute(visible_plan_items(year, who))).scalars())


async def funding_eligibility(
    *, session: AsyncSession, profile: PolicyProfile, project_id: str, fiscal_year: int, who
) -> Decision:
    """B2 for one project and year, as the caller may ask it (finance, the bureau, the unit)."""
    await projects.get(session=session, project_id=project_id, who=who)
    item = await session.scalar(
        select(PlanItem).where(PlanItem.plan_year == fiscal_year, PlanItem.project_id == project_id)
    )
    if item is not None and item.left_out is not None:
        item = None  # left out at adoption (J1): not on the adopted plan
    adopted = False
    if item is not None:
        adopted = (await session.get(AnnualPlan, fiscal_year)).status == "adopted"
    return rules.funding_decision(
        profile,
        fiscal_year=fiscal_year,
        on_plan=item is not None,
        plan_adopted=adopted,
        emergency=bool(item and item.emergency),
    )


async def rolling(*, session: AsyncSession, profile: PolicyProfile, from_year: int, who):
    """B5: the years of the rolling plan, each with its plan status, items and planned cost.
    Who may read plan items is decided first: a caller who may not (a cloud provider) is refused
    whatever the years hold, as on a single year's plan."""
    who.org_scope(PROJECT_READERS)
    if not profile.applies("B5"):
        raise Conflict(f"profile {profile.name} has no rolling plan (B5 does not apply)")
    years = profile.figure("B5", "rolling_plan_years")
    out = []
    for year in range(from_year, from_year + years):
        plan_row = await session.get(AnnualPlan, year)
        items = await plan_items(session=session, year=year, who=who) if plan_row else []
        cost = Decimal(0)
        items = [i for i in items if i.left_out is None]  # left out at adoption (J1)
        for item in items:
            entry_row = await session.get(LibraryEntry, item.project_id)
            cost += entry_row.planned_cost if entry_row else Decimal(0)
        out.append(
            RollingYear(
                year=year,
                status=plan_row.status if plan_row else None,
                projects=len(items),
                planned_cost=cost,
            )
        )
    return out
