"""gRPC: IntakeService, for other services' questions about projects."""

from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.auth import Role
from govit_kit.convert import to_decision, to_money, to_timestamp
from govit_kit.errors import InvalidInput
from govit_kit.rpc import current_principal
from intake.catalogs import service as catalogs
from intake.forwarding import flows as forwarding
from intake.forwarding import schemas as forwarding_schemas
from intake.library import service as library
from intake.projects import service
from intake.projects.models import Project


def project_message(p: Project) -> pb.Project:
    """A project row as its protobuf message."""
    return pb.Project(
        project_id=p.id,
        org_id=p.org_id,
        name=p.name,
        project_type=p.project_type,
        status=p.status,
        total_investment=to_money(p.total_investment),
        submitted_at=to_timestamp(p.submitted_at),
        updated_at=to_timestamp(p.updated_at),
    )


class IntakeServicer(pb_grpc.IntakeServiceServicer):
    """Answers on behalf of the caller: a unit's token reaches only its own projects."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def GetProject(self, request: pb.GetProjectRequest, context) -> pb.GetProjectResponse:
        """One project, as the caller may see it."""
        async with self.rt.db.sessions() as session:
            project = await service.get(
                session=session, project_id=request.project_id, who=current_principal()
            )
            return pb.GetProjectResponse(project=project_message(project))

    async def CheckFundingEligibility(
        self, request: pb.CheckFundingEligibilityRequest, context
    ) -> pb.CheckFundingEligibilityResponse:
        """B2: may the project be funded in this fiscal year (on the adopted annual plan)?"""
        if not 2000 <= request.fiscal_year <= 2100:
            raise InvalidInput("fiscal_year", "must be a year between 2000 and 2100")
        async with self.rt.db.sessions() as session:
            decision = await library.funding_eligibility(
                session=session,
                profile=self.rt.profile,
                project_id=request.project_id,
                fiscal_year=request.fiscal_year,
                who=current_principal(),
            )
        return pb.CheckFundingEligibilityResponse(
            allowed=decision.outcome == "allow",
            decisions=[to_decision(decision)],
        )

    async def ForwardApplication(
        self, request: pb.ForwardApplicationRequest, context
    ) -> pb.ForwardApplicationResponse:
        """C6, in the city: accept a county's forwarded application."""
        project = await forwarding.accept(
            rt=self.rt,
            who=current_principal(),
            application=request.application,
            contents={},  # materials travel only by ForwardApplicationParts
        )
        return pb.ForwardApplicationResponse(city_project_id=project.id, status=project.status)

    async def ForwardApplicationParts(
        self, request_iterator, context
    ) -> pb.ForwardApplicationPartsResponse:
        """C6, in the city: accept a county's whole application, its materials streamed in
        chunks; read (and bounded by what it declares) before any transaction opens."""
        who = current_principal()
        who.require(Role.COUNTY_REVIEWER)
        application, contents = await forwarding_schemas.read_parts(
            request_iterator, max_bytes=self.rt.settings.material_max_bytes
        )
        project = await forwarding.accept(
            rt=self.rt, who=who, application=application, contents=contents
        )
        return pb.ForwardApplicationPartsResponse(city_project_id=project.id, status=project.status)

    async def GetForwardedApplication(
        self, request: pb.GetForwardedApplicationRequest, context
    ) -> pb.GetForwardedApplicationResponse:
        """C6, in the city: the outcome, for the county that forwarded the application."""
        async with self.rt.db.sessions() as session:
            project = await forwarding.forwarded(
                session=session, who=current_principal(), city_project_id=request.city_project_id
            )
            return pb.GetForwardedApplicationResponse(
                city_project_id=project.id,
                status=project.status,
                origin=project.origin or "",
                county_opinion=project.county_opinion or "",
            )

    async def CheckCatalog(
        self, request: pb.CheckCatalogRequest, context
    ) -> pb.CheckCatalogResponse:
        """C2 before acceptance: is the project's data resource catalog complete, and the
        refusals where the profile asks it of this project then (its project type comes back,
        so review reads C2's project_types with it)."""
        async with self.rt.db.sessions() as session:
            project = await service.get(
                session=session, project_id=request.project_id, who=current_principal()
            )
            checked = await catalogs.check(
                session=session, profile=self.rt.profile, project=project, stage="acceptance"
            )
        return pb.CheckCatalogResponse(
            complete=checked.complete,
            entries=checked.entries,
            decisions=[to_decision(d) for d in checked.decisions],
            project_type=project.project_type,
        )


def servicers(rt) -> list:
    """Intake's gRPC servicers."""
    return [
        (
            pb_grpc.add_IntakeServiceServicer_to_server,
            IntakeServicer(rt),
            pb.DESCRIPTOR.services_by_name["IntakeService"].full_name,
        )
    ]
