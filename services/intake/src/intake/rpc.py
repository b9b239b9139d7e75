"""gRPC: IntakeService, for other services' questions about projects."""

from govit.intake.v1 import intake_service_pb2 as pb
from govit.intake.v1 import intake_service_pb2_grpc as pb_grpc
from govit_kit.convert import to_money, to_timestamp
from govit_kit.rpc import current_principal
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


def servicers(rt) -> list:
    """Intake's gRPC servicers."""
    return [
        (
            pb_grpc.add_IntakeServiceServicer_to_server,
            IntakeServicer(rt),
            pb.DESCRIPTOR.services_by_name["IntakeService"].full_name,
        )
    ]
