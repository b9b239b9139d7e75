"""The finance service: budgets and funding lines, procurement, contracts, payments, cloud bills."""

from finance import consumers, rpc
from finance.db import Base
from finance.funding.views import router as funding_router
from govit_kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """What finance is made of."""
    return ServiceSpec(
        name="finance",
        package="finance",
        title="govit finance",
        description="Funding lines of reviewed projects (I1, I2) and, later, payments and bills.",
        metadata=Base.metadata,
        routers=[funding_router],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
    )
