"""The cloud-broker service: catalog, resource requests, provider work orders, utilisation, usage."""

from cloud_broker import consumers, rpc
from cloud_broker.billing.views import router as billing_router
from cloud_broker.catalog.views import router as catalog_router
from cloud_broker.config import CloudBrokerSettings
from cloud_broker.db import Base
from cloud_broker.deadlines.scheduled import scheduler
from cloud_broker.deadlines.views import router as deadlines_router
from cloud_broker.provider.signal import OrderFeed
from cloud_broker.provider.views import router as provider_router
from cloud_broker.requests.views import router as requests_router
from cloud_broker.requests.views import units_router
from cloud_broker.utilisation.views import router as utilisation_router
from govit_kit.runtime import ServiceSpec


def setup(rt) -> None:
    """Process-local state: the feed of the work-order streams."""
    rt.state.order_feed = OrderFeed()


def spec() -> ServiceSpec:
    """What cloud-broker is made of."""
    return ServiceSpec(
        name="cloud_broker",
        package="cloud_broker",
        title="govit cloud-broker",
        description=(
            "Government cloud (L1-L19): service catalog, resource requests and their state "
            "machine, provider work orders (Open Service Broker semantics), deadlines, "
            "utilisation and usage."
        ),
        metadata=Base.metadata,
        routers=[
            catalog_router,
            requests_router,
            units_router,
            provider_router,
            deadlines_router,
            utilisation_router,
            billing_router,
        ],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
        tasks=[scheduler],
        setup=setup,
        settings_cls=CloudBrokerSettings,
    )
