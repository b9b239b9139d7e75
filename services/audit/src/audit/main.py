"""The audit service: the tamper-evident record of every platform event (J4, L17)."""

from audit import consumers, rpc
from audit.db import Base
from audit.log.views import router as log_router
from govit_kit.runtime import ServiceSpec


def spec() -> ServiceSpec:
    """What audit is made of."""
    return ServiceSpec(
        name="audit",
        package="audit",
        title="govit audit",
        description="Every platform event, appended exactly once to the audit log (J4, L17).",
        metadata=Base.metadata,
        routers=[log_router],
        servicers=rpc.servicers,
        subscriptions=consumers.subscriptions,
    )
