"""gRPC: CloudBrokerService."""

from cloud_broker.requests import service
from cloud_broker.requests.models import ResourceRequest
from govit.cloud_broker.v1 import cloud_broker_service_pb2 as pb
from govit.cloud_broker.v1 import cloud_broker_service_pb2_grpc as pb_grpc
from govit.cloud_broker.v1 import types_pb2
from govit_kit.convert import to_timestamp
from govit_kit.rpc import current_principal


def request_message(r: ResourceRequest) -> pb.ResourceRequest:
    """A request row as its protobuf message."""
    return pb.ResourceRequest(
        request_id=r.id,
        project_id=r.project_id,
        org_id=r.org_id,
        service_mode=r.service_mode,
        status=r.status,
        items=[types_pb2.ResourceItem(**i) for i in r.items],
        submitted_at=to_timestamp(r.submitted_at),
    )


class CloudBrokerServicer(pb_grpc.CloudBrokerServiceServicer):
    """Answers on behalf of the caller."""

    def __init__(self, rt) -> None:
        self.rt = rt

    async def GetResourceRequest(self, request, context) -> pb.GetResourceRequestResponse:
        """One request."""
        async with self.rt.db.sessions() as session:
            req = await service.get(
                session=session, request_id=request.request_id, who=current_principal()
            )
            return pb.GetResourceRequestResponse(resource_request=request_message(req))


def servicers(rt) -> list:
    """The broker's gRPC servicers."""
    return [
        (
            pb_grpc.add_CloudBrokerServiceServicer_to_server,
            CloudBrokerServicer(rt),
            pb.DESCRIPTOR.services_by_name["CloudBrokerService"].full_name,
        )
    ]
