"""Audit consumes every platform event."""

from audit.log import flows
from govit_kit.inbox import Subscription


def subscriptions(rt) -> list[Subscription]:
    """Audit's subscription list: everything."""
    return [
        Subscription(
            "all-events", "govit.>", lambda uow, event: flows.append_event(rt, uow=uow, event=event)
        )
    ]
