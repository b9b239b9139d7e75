"""Use cases of project applications; the only place that emits intake's project events."""

from govit.intake.v1 import events_pb2
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor, to_money, to_timestamp
from govit_kit.db import utcnow
from govit_kit.errors import Conflict
from govit_kit.idempotency import check_if_match
from govit_kit.uow import UnitOfWork
from intake.projects import service
from intake.projects.enums import ProjectStatus
from intake.projects.models import Project
from intake.projects.schemas import ProjectCreate


async def create_project(*, uow: UnitOfWork, who: Principal, data: ProjectCreate) -> Project:
    """A unit's staff opens a draft application for its own organisation."""
    who.require(Role.UNIT_STAFF)
    project = Project(
        org_id=who.org_id,
        name=data.name,
        project_type=data.project_type.value,
        total_investment=data.total_investment,
        status=ProjectStatus.DRAFT.value,
        created_by=who.subject,
    )
    uow.session.add(project)
    await uow.session.flush()
    return project


async def submit_project(
    *, uow: UnitOfWork, who: Principal, project_id: str, if_match: str | None = None
) -> Project:
    """The unit submits its draft; review opens a case when it hears of it."""
    who.require(Role.UNIT_STAFF, Role.UNIT_CDO)
    project = await service.get(session=uow.session, project_id=project_id, who=who)
    check_if_match(if_match, project.version)
    if project.status not in (ProjectStatus.DRAFT, ProjectStatus.REVISION_REQUESTED):
        raise Conflict(f"cannot submit a project that is {project.status}", state=project.status)
    now = utcnow()
    project.status, project.submitted_at = ProjectStatus.SUBMITTED.value, now
    await uow.emit(
        "project",
        "submitted",
        events_pb2.ProjectSubmitted(
            project_id=project.id,
            org_id=project.org_id,
            name=project.name,
            project_type=project.project_type,
            total_investment=to_money(project.total_investment),
            submitted_by=to_actor(who),
            submitted_at=to_timestamp(now),
        ),
        subject=project.id,
        org_id=project.org_id,
        project_id=project.id,
    )
    await uow.session.flush()
    return project


async def record_conclusion(*, uow: UnitOfWork, project_id: str, status: ProjectStatus) -> None:
    """Intake's copy of the review conclusion: the project's status follows it."""
    project = await uow.session.get(Project, project_id)
    if project is None:
        raise LookupError(f"conclusion for unknown project {project_id}")
    project.status = status.value
