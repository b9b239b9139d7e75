"""C6: a county deployment forwards an application, after its own first review, to the city
deployment over gRPC with its opinion; the city records the origin and the opinion and reviews
it; the county reads the city's outcome back.

The peer call is made outside any transaction (as everywhere): the county reads and checks, calls
the city, then records the city's id. The city accepts a forwarded application once per county
project, so a county that retries after a failed commit gets the same city id back."""

from sqlalchemy import select

from govit.intake.v1 import events_pb2
from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.auth import Principal, Role
from govit_kit.convert import from_money, to_actor, to_money
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, InvalidInput, NotFound
from govit_kit.rpc import call_peer
from govit_kit.uow import UnitOfWork
from intake.orgs.enums import OrgLevel
from intake.orgs.models import Organisation
from intake.projects import flows as projects
from intake.projects.enums import ProjectStatus, ProjectType
from intake.projects.models import Project


async def county_project(*, session, who: Principal, project_id: str) -> Project:
    """A project of a unit under the calling county authority (its registered parent)."""
    who.require(Role.COUNTY_REVIEWER)
    project = await session.get(Project, project_id)
    org = await session.get(Organisation, project.org_id) if project else None
    if project is None or org is None or org.parent_org_id != who.org_id:
        raise NotFound("project not found")
    if org.level == OrgLevel.CITY:
        raise Conflict("a city unit's project is not forwarded (C6 covers counties and parks)")
    return project


async def forward(*, rt, who: Principal, project_id: str, opinion: str) -> Project:
    """The county authority's first review passed: send the application to the city. Only a
    county authority may; anyone else is refused before the deployment's setup is told."""
    who.require(Role.COUNTY_REVIEWER)
    if not rt.profile.applies("C6"):
        raise Conflict(f"profile {rt.profile.name} has no county forwarding (C6 does not apply)")
    if not rt.settings.city_intake_grpc:
        raise Conflict("this deployment is the city's: GOVIT_CITY_INTAKE_GRPC is not set")
    async with rt.db.sessions() as session:
        project = await county_project(session=session, who=who, project_id=project_id)
        if project.status != ProjectStatus.SUBMITTED:
            raise Conflict(
                f"cannot forward a project that is {project.status}", state=project.status
            )
        application = pb.ForwardedApplication(
            county_project_id=project.id,
            org_id=project.org_id,
            name=project.name,
            project_type=project.project_type,
            total_investment=to_money(project.total_investment),
            county_opinion=opinion,
            origin=rt.settings.jurisdiction_name or who.org_id,
        )
    stub = pb_grpc.IntakeServiceStub(rt.channel("city_intake"))
    reply = await call_peer(
        stub.ForwardApplication, pb.ForwardApplicationRequest(application=application), who
    )
    async with rt.db.unit_of_work() as uow:
        project = await county_project(session=uow.session, who=who, project_id=project_id)
        project.status = ProjectStatus.FORWARDED.value
        project.city_project_id, project.city_status = reply.city_project_id, reply.status
        await uow.emit(
            "project",
            "forwarded",
            events_pb2.ProjectForwarded(
                project_id=project.id,
                org_id=project.org_id,
                city_project_id=reply.city_project_id,
                county_opinion=opinion,
                forwarded_by=to_actor(who),
            ),
            subject=project.id,
            org_id=project.org_id,
            project_id=project.id,
        )
        await uow.session.flush()
        return project


async def city_outcome(*, rt, who: Principal, project_id: str) -> Project:
    """Ask the city how the forwarded application stands, and keep the answer."""
    async with rt.db.sessions() as session:
        project = await county_project(session=session, who=who, project_id=project_id)
        if not project.city_project_id:
            raise Conflict("the project has not been forwarded", state=project.status)
        city_id = project.city_project_id
    stub = pb_grpc.IntakeServiceStub(rt.channel("city_intake"))
    reply = await call_peer(
        stub.GetForwardedApplication,
        pb.GetForwardedApplicationRequest(city_project_id=city_id),
        who,
    )
    async with rt.db.unit_of_work() as uow:
        project = await county_project(session=uow.session, who=who, project_id=project_id)
        project.city_status = reply.status
        await uow.session.flush()
        return project


async def receive(
    *, uow: UnitOfWork, who: Principal, application: pb.ForwardedApplication
) -> Project:
    """In the city: a county's forwarded application becomes a submitted application here, with
    its origin and the county's opinion; review hears of it as of any other."""
    who.require(Role.COUNTY_REVIEWER)
    if not application.county_project_id or not application.org_id or not application.name:
        raise InvalidInput("application", "county_project_id, org_id and name are required")
    try:
        project_type = ProjectType(application.project_type)
        amount = from_money(application.total_investment)
    except ValueError as exc:
        raise InvalidInput("application", str(exc)) from None
    existing = await uow.session.scalar(
        select(Project).where(
            Project.forwarded_by_org == who.org_id,
            Project.origin_project_id == application.county_project_id,
        )
    )
    if existing is not None:
        return existing
    now = utcnow()
    project = Project(
        org_id=application.org_id,
        name=application.name,
        project_type=project_type.value,
        total_investment=amount,
        status=ProjectStatus.SUBMITTED.value,
        created_by=who.subject,
        submitted_at=now,
        origin=application.origin,
        origin_project_id=application.county_project_id,
        county_opinion=application.county_opinion,
        forwarded_by_org=who.org_id,
    )
    uow.session.add(project)
    await uow.session.flush()
    await projects.emit_submitted(uow=uow, project=project, who=who, when=now)
    return project


async def forwarded(*, session, who: Principal, city_project_id: str) -> Project:
    """In the city: a forwarded application, for the county that forwarded it."""
    who.require(Role.COUNTY_REVIEWER)
    project = await session.get(Project, city_project_id)
    if project is None or project.forwarded_by_org != who.org_id:
        raise NotFound("forwarded application not found")
    return project
