"""Reading and writing project rows (never commits: the unit of work does)."""

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, UNIT_ROLES, Principal, Role
from govit_kit.errors import NotFound
from intake.orgs.models import Organisation
from intake.projects.models import Project, ProjectMaterial


def county_only(who: Principal) -> bool:
    """A county data authority (C6) reads the projects of the units registered under it."""
    return who.has(Role.COUNTY_REVIEWER) and not who.has(*PROJECT_READERS, *UNIT_ROLES)


def _units_under(county_org_id: str):
    return select(Organisation.id).where(Organisation.parent_org_id == county_org_id)


async def get(*, session: AsyncSession, project_id: str, who: Principal) -> Project:
    """A project the caller may see; 404 for another unit's project."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound("project not found")
    if county_only(who):
        org = await session.get(Organisation, project.org_id)
        if org is None or org.parent_org_id != who.org_id:
            raise NotFound("project not found")
        return project
    who.check_owner(project.org_id, PROJECT_READERS, "project")
    return project


def visible(
    who: Principal,
    *,
    status: str | None = None,
    plan_year: int | None = None,
    project_type: str | None = None,
    org_id: str | None = None,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    name: str | None = None,
):
    """The select of projects the caller may list (a unit its own, the bureaus all), filtered."""
    query = select(Project).order_by(Project.created_at, Project.id)
    if county_only(who):
        query = query.where(Project.org_id.in_(_units_under(who.org_id)))
    elif (scope := who.org_scope(PROJECT_READERS)) is not None:
        query = query.where(Project.org_id == scope)
    if org_id:
        query = query.where(Project.org_id == org_id)
    if status:
        query = query.where(Project.status == status)
    if plan_year:
        query = query.where(Project.plan_year == plan_year)
    if project_type:
        query = query.where(Project.project_type == project_type)
    if min_amount is not None:
        query = query.where(Project.total_investment >= min_amount)
    if max_amount is not None:
        query = query.where(Project.total_investment <= max_amount)
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Project.name.like(f"%{escaped}%", escape="\\"))
    return query


async def materials(*, session: AsyncSession, project_id: str) -> list[ProjectMaterial]:
    """The application's materials, by kind."""
    rows = await session.execute(
        select(ProjectMaterial)
        .where(ProjectMaterial.project_id == project_id)
        .order_by(ProjectMaterial.kind)
    )
    return list(rows.scalars())
