"""The intake service: organisations, applications, project library, annual plan, system registry."""

from govit_kit.runtime import ServiceSpec
from intake import consumers, rpc
from intake.calls.views import router as calls_router
from intake.catalogs.views import router as catalogs_router
from intake.config import IntakeSettings
from intake.db import Base
from intake.forwarding.views import router as forwarding_router
from intake.frameworks.views import router as frameworks_router
from intake.library.views import router as library_router
from intake.orgs.views import router as orgs_router
from intake.projects.views import router as projects_router
from intake.systems.views import router as systems_router


def spec() -> ServiceSpec:
    """What intake is made of."""
    return ServiceSpec(
        name="intake",
        package="intake",
        title="govit intake",
        description="Project applications of units (C1-C7), and the project library (B3).",
        metadata=Base.metadata,
        routers=[
            orgs_router,
            calls_router,
            projects_router,
            catalogs_router,
            library_router,
            frameworks_router,
            systems_router,
            forwarding_router,
        ],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
        settings_cls=IntakeSettings,
    )
