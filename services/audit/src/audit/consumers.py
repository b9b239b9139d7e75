"""Audit consumes every platform event."""

from audit.log import flows
from govit_kit.inbox import Subscription


def subscriptions(rt) -> list[Subscription]:
    """Audit's subscription list: everything, appended a fetched batch at a time."""
    return [
        Subscription(
            "all-events",
            "govit.>",
            lambda uow, event: flows.append_events(rt, uow=uow, events=[event]),
            batch_handler=lambda uow, events: flows.append_events(rt, uow=uow, events=events),
        )
    ]
