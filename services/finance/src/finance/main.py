"""The finance service: budgets and funding lines, procurement, contracts, payments, cloud bills."""

from finance import consumers, rpc
from finance.assets.views import router as assets_router
from finance.cloud.views import router as cloud_router
from finance.db import Base
from finance.funding.views import router as funding_router
from finance.ocds.views import router as ocds_router
from finance.payments.views import router as payments_router
from finance.procurement.views import router as procurement_router
from finance.reports.views import router as reports_router
from govit_kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """What finance is made of."""
    return ServiceSpec(
        name="finance",
        package="finance",
        title="govit finance",
        description=(
            "Funding lines and their ledger, procurement and contracts (E1-E7) with an OCDS "
            "export, payments checked against the funding gates (I1-I6), cloud bills (L9-L11, "
            "L18) and spend reports."
        ),
        metadata=Base.metadata,
        routers=[
            funding_router,
            procurement_router,
            payments_router,
            ocds_router,
            cloud_router,
            reports_router,
            assets_router,
        ],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
    )
