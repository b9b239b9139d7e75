"""The review service: expert draws, review cases, opinions, conclusions and the approval chain."""

from govit_kit.runtime import ServiceSpec
from review import consumers, rpc
from review.acceptance.views import router as acceptance_router
from review.cases.views import router as cases_router
from review.changes.views import router as changes_router
from review.config import ReviewSettings
from review.db import Base
from review.pools.views import router as pools_router
from review.portfolio.views import router as portfolio_router
from review.progress.views import router as progress_router
from review.rectification.views import router as rectification_router
from review.scheduled import sweep_deadlines


def spec() -> ServiceSpec:
    """What review is made of."""
    return ServiceSpec(
        name="review",
        package="review",
        title="govit review",
        description=(
            "Expert draws, review cases and joint opinions, the approval chain (D), changes (F), "
            "acceptance (G), evaluation (H) and rectification (J)."
        ),
        metadata=Base.metadata,
        routers=[
            cases_router,
            pools_router,
            changes_router,
            rectification_router,
            acceptance_router,
            progress_router,
            portfolio_router,
        ],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
        tasks=[sweep_deadlines],
        settings_cls=ReviewSettings,
    )
