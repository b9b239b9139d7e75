"""The review service: expert draws, review cases, opinions, conclusions and the approval chain."""

from govit_kit.runtime import ServiceSpec
from review import consumers, rpc
from review.cases.views import router as cases_router
from review.changes.views import router as changes_router
from review.db import Base
from review.pools.views import router as pools_router
from review.rectification.views import router as rectification_router


def spec() -> ServiceSpec:
    """What review is made of."""
    return ServiceSpec(
        name="review",
        package="review",
        title="govit review",
        description="Review cases opened from submitted applications (D1-D8) and their conclusions.",
        metadata=Base.metadata,
        routers=[cases_router, pools_router, changes_router, rectification_router],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
    )
