"""Reading resource request rows, and asking intake about projects (never commits)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cloud_broker.requests.models import ResourceRequest
from govit.intake.v1 import intake_service_pb2 as intake_pb
from govit.intake.v1 import intake_service_pb2_grpc as intake_grpc
from govit_kit.auth import Principal, Role
from govit_kit.errors import NotFound
from govit_kit.rpc import call_peer

# Who reads every unit's requests: the cloud administrators, finance (bills) and audit.
READERS = frozenset({Role.BUREAU_CLOUD_ADMIN, Role.FINANCE_OFFICER, Role.AUDITOR})


async def get(*, session: AsyncSession, request_id: str, who: Principal) -> ResourceRequest:
    """A request the caller may see; 404 for another unit's request."""
    req = await session.get(ResourceRequest, request_id)
    if req is None:
        raise NotFound("resource request not found")
    who.check_owner(req.org_id, READERS, "resource request")
    return req


def visible(who: Principal):
    """The select of requests the caller may list: a unit its own, cloud administrators all."""
    query = select(ResourceRequest).order_by(ResourceRequest.submitted_at, ResourceRequest.id)
    scope = who.org_scope(READERS)
    return query if scope is None else query.where(ResourceRequest.org_id == scope)


async def project_status(*, rt, project_id: str, who: Principal) -> str | None:
    """The project's status as intake tells the caller; None when the caller may not see it."""
    stub = intake_grpc.IntakeServiceStub(rt.channel("intake"))
    try:
        resp = await call_peer(
            stub.GetProject, intake_pb.GetProjectRequest(project_id=project_id), who
        )
    except NotFound:
        return None
    return resp.project.status
