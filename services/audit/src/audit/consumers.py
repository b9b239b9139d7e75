"""Audit consumes every platform event."""

from audit.log import service
from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork


async def on_any_event(uow: UnitOfWork, event: Event) -> None:
    """Append the event to the log."""
    await service.append(session=uow.session, event=event)


def subscriptions(_rt) -> list[Subscription]:
    """Audit's subscription list: everything."""
    return [Subscription("all-events", "govit.>", on_any_event)]
