"""C6: a county deployment forwards an application, after its own first review, to the city
deployment over gRPC with its opinion; the city records the origin and the opinion and reviews
it; the county reads the city's outcome back.

What travels is the whole application: the form (C1), the data resource catalog (C2) and every
material with its content, streamed in chunks (ForwardApplicationParts) so no message passes
gRPC's 4 MiB limit; the city checks each field, size and SHA-256 and stores it all in one unit
of work.

The peer call is made outside any transaction (as everywhere): the county reads and checks, calls
the city, then records the city's id. The city accepts a forwarded application once per county
project, so a county that retries after a failed commit gets the same city id back."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from govit.intake.v1 import events_pb2
from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.auth import Principal, Role
from govit_kit.convert import to_actor
from govit_kit.db import utcnow
from govit_kit.errors import Conflict, Forbidden, NotFound, RuleRefused
from govit_kit.policy import SHANGHAI, Decision, PolicyProfile
from govit_kit.rpc import call_peer
from govit_kit.uow import UnitOfWork
from intake.catalogs import service as catalogs
from intake.forwarding import schemas
from intake.orgs.enums import OrgLevel
from intake.orgs.models import Organisation
from intake.projects import flows as projects
from intake.projects import service as project_rows
from intake.projects.enums import ProjectStatus
from intake.projects.models import Project, ProjectMaterial


async def county_project(
    *, session, who: Principal, project_id: str, lock: bool = False
) -> Project:
    """A project of a unit under the calling county authority (its registered parent); with
    `lock`, its row is locked until the transaction ends (PostgreSQL)."""
    who.require(Role.COUNTY_REVIEWER)
    project = await session.get(Project, project_id, with_for_update=lock)
    org = await session.get(Organisation, project.org_id) if project else None
    if project is None or org is None or org.parent_org_id != who.org_id:
        raise NotFound("project not found")
    if org.level == OrgLevel.CITY:
        raise Conflict("a city unit's project is not forwarded (C6 covers counties and parks)")
    return project


def _check_forwardable(project: Project) -> None:
    """409 unless the project is submitted in the county (and so not forwarded yet)."""
    if project.status != ProjectStatus.SUBMITTED:
        raise Conflict(f"cannot forward a project that is {project.status}", state=project.status)


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
        _check_forwardable(project)
        materials = await project_rows.materials(session=session, project_id=project.id)
        contents = dict(
            (
                await session.execute(
                    select(ProjectMaterial.kind, ProjectMaterial.content).where(
                        ProjectMaterial.project_id == project.id
                    )
                )
            ).all()
        )
        application = schemas.application_message(
            project,
            opinion=opinion,
            origin=rt.settings.jurisdiction_name or who.org_id,
            catalog=await catalogs.entries(session=session, project_id=project.id),
            materials=materials,
        )
    schemas.check_fits(application)
    stub = pb_grpc.IntakeServiceStub(rt.channel("city_intake"))
    reply = await call_peer(
        stub.ForwardApplicationParts,
        schemas.parts(application, contents),
        who,
        timeout=rt.settings.forward_timeout_seconds,
    )
    async with rt.db.unit_of_work() as uow:
        # Read again, locked: a concurrent forward of the project may have committed while this
        # one talked to the city. The loser gets what a repeat gets (409, the project is
        # forwarded), and the project and its one `project.forwarded` stay as the winner left
        # them; the city answered both with the same city id. On SQLite (no row locks) a loser
        # that read the project before the winner committed is stopped by the version guard
        # instead (409 concurrent-conflict).
        project = await county_project(
            session=uow.session, who=who, project_id=project_id, lock=True
        )
        _check_forwardable(project)
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


async def accept(
    *, rt, who: Principal, application: pb.ForwardedApplication, contents: dict[str, bytes]
) -> Project:
    """In the city: receive a forwarded application in its own unit of work. When a concurrent
    forward of the same county project commits first (the unique origin refuses the second
    row), the answer is that project: one city project per county project."""
    max_bytes = rt.settings.material_max_bytes
    try:
        async with rt.db.unit_of_work() as uow:
            return await receive(
                uow=uow,
                who=who,
                profile=rt.profile,
                application=application,
                contents=contents,
                max_bytes=max_bytes,
            )
    except IntegrityError:
        async with rt.db.sessions() as session:
            existing = await _forwarded_from(session, who, application.county_project_id)
        if existing is None:
            raise
        return existing


async def _forwarded_from(session, who: Principal, county_project_id: str) -> Project | None:
    return await session.scalar(
        select(Project).where(
            Project.forwarded_by_org == who.org_id,
            Project.origin_project_id == county_project_id,
        )
    )


async def _check_forwarding_authority(
    session, who: Principal, profile: PolicyProfile, org_id: str
) -> Organisation:
    """C6 is the county authority's first review of its own units: the owner unit must be in
    the city's register, as a county (or park) unit whose parent is the forwarding authority.
    Anything else is refused the same way, so a county learns nothing of the city's register;
    the refusal carries C6's decision with the profile's article, as the register's do."""
    org = await session.get(Organisation, org_id) if org_id else None
    if org is None or org.parent_org_id != who.org_id or org.level == OrgLevel.CITY:
        field = "application.org_id"
        reason = (
            f"{org_id or 'none'} is not a county or park unit registered here under "
            f"{who.org_id}; a county authority forwards its own units' applications only"
        )
        refusal = Decision.refuse(profile, "C6", reason, field=field)
        raise Forbidden(
            f"{field}: {reason} ({refusal.citation})",
            errors=[{"field": field, "message": "not a unit of this authority"}],
            decisions=[refusal.to_dict()],
        )
    return org


async def receive(
    *,
    uow: UnitOfWork,
    who: Principal,
    profile: PolicyProfile,
    application: pb.ForwardedApplication,
    contents: dict[str, bytes],
    max_bytes: int,
) -> Project:
    """In the city: a county's forwarded application becomes a submitted application here, with
    its form, catalog and materials, its origin and the county's opinion; review hears of it as
    of any other. Only for a county unit registered here under the forwarding authority (C6).
    Every field is checked first (bad input names the field; a material whose SHA-256 does not
    match its content is refused); then the city's own submission refusals run on it, exactly
    as on an application submitted here (C1, C2, C3, C4 by the registered CDO, C5, J3, I3, A2):
    a refused one is not stored."""
    who.require(Role.COUNTY_REVIEWER)
    if not profile.applies("C6"):
        raise Conflict(f"profile {profile.name} has no county forwarding (C6 does not apply)")
    await _check_forwarding_authority(uow.session, who, profile, application.org_id)
    incoming = schemas.check_application(application, contents, max_bytes=max_bytes)
    existing = await _forwarded_from(uow.session, who, application.county_project_id)
    if existing is not None:
        return existing
    now = utcnow()
    project = Project(
        **incoming.project_values(),
        org_id=application.org_id,
        status=ProjectStatus.DRAFT.value,
        created_by=who.subject,
        origin=application.origin,
        origin_project_id=application.county_project_id,
        county_opinion=application.county_opinion,
        forwarded_by_org=who.org_id,
    )
    uow.session.add(project)
    await uow.session.flush()
    for m in incoming.materials:
        uow.session.add(
            ProjectMaterial(
                project_id=project.id,
                kind=m.kind,
                filename=m.filename,
                content_type=m.content_type,
                size_bytes=len(m.content),
                sha256=m.sha256,
                content=m.content,
                uploaded_by=m.uploaded_by or who.subject,
                uploaded_at=m.uploaded_at or now,
            )
        )
    await catalogs.replace(session=uow.session, project_id=project.id, rows=incoming.catalog)
    await uow.session.flush()
    today = now.astimezone(SHANGHAI).date()
    refusals = await projects.submission_refusals(
        uow=uow, profile=profile, project=project, today=today
    )
    if refusals:
        # The unit of work rolls back: nothing of the application is kept.
        raise RuleRefused(refusals)
    return await projects.enter_submitted(
        uow=uow, who=who, profile=profile, project=project, now=now
    )


async def forwarded(*, session, who: Principal, city_project_id: str) -> Project:
    """In the city: a forwarded application, for the county that forwarded it."""
    who.require(Role.COUNTY_REVIEWER)
    project = await session.get(Project, city_project_id)
    if project is None or project.forwarded_by_org != who.org_id:
        raise NotFound("forwarded application not found")
    return project
