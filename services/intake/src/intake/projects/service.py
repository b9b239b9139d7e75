"""Reading and writing project rows (never commits: the unit of work does)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govit_kit.auth import PROJECT_READERS, Principal
from govit_kit.errors import NotFound
from intake.projects.models import Project


async def get(*, session: AsyncSession, project_id: str, who: Principal) -> Project:
    """A project the caller may see; 404 for another unit's project."""
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound("project not found")
    who.check_owner(project.org_id, PROJECT_READERS, "project")
    return project


def visible(who: Principal):
    """The select of projects the caller may list: a unit its own, the bureaus all."""
    query = select(Project).order_by(Project.created_at, Project.id)
    scope = who.org_scope(PROJECT_READERS)
    return query if scope is None else query.where(Project.org_id == scope)
