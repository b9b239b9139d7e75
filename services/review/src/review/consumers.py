"""Events review reacts to."""

from govit_kit.events import Event
from govit_kit.inbox import Subscription
from govit_kit.uow import UnitOfWork
from review.cases import flows


def subscriptions(rt) -> list[Subscription]:
    """Review's subscription list."""

    async def on_project_submitted(uow: UnitOfWork, event: Event) -> None:
        await flows.open_case(uow=uow, profile=rt.profile, submitted=event.message)

    return [
        Subscription(
            "intake-project-submitted", "govit.intake.project.submitted", on_project_submitted
        )
    ]
