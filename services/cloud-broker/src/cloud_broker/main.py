"""The cloud-broker service: catalog, resource requests, provider work orders, utilisation, usage."""

from cloud_broker import rpc
from cloud_broker.db import Base
from cloud_broker.requests.views import router as requests_router
from govit_kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """What cloud-broker is made of."""
    return ServiceSpec(
        name="cloud_broker",
        package="cloud_broker",
        title="govit cloud-broker",
        description="Government cloud resource requests of units (L1-L8), checked against intake.",
        metadata=Base.metadata,
        routers=[requests_router],
        servicers=rpc.servicers,
    )
